/**
 * NumPy's .npy format, version 1.0, written by hand so an encoded split can be read with `np.load` and nothing else:
 * a magic string, the version, a little-endian uint16 header length, then a Python dict literal (dtype, order,
 * shape) padded with spaces to a multiple of 64 bytes and ended by a newline, then the raw array bytes in C order.
 */

export type NpyDtype = '<i4' | '|u1' | '<f4';

const MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 0x01, 0x00]); // \x93NUMPY v1.0
const ALIGN = 64;

/** The bytes before the data of an array of `dtype` and `shape` (C order). */
export function npyHeader(dtype: NpyDtype, shape: readonly number[]): Buffer {
  const dims = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${dtype}', 'fortran_order': False, 'shape': ${dims}, }`;
  const unpadded = MAGIC.length + 2 + dict.length + 1; // + the final newline
  const padding = (ALIGN - (unpadded % ALIGN)) % ALIGN;
  const text = `${dict}${' '.repeat(padding)}\n`;
  if (text.length > 0xffff) throw new RangeError(`npy header of ${text.length} bytes does not fit version 1.0`);
  const length = Buffer.alloc(2);
  length.writeUInt16LE(text.length, 0);
  return Buffer.concat([MAGIC, length, Buffer.from(text, 'latin1')]);
}
