/** A minimal .npy reader for the tests, written from the format's description (not from the writer under test). */

export interface Npy {
  descr: string;
  shape: number[];
  values: Uint8Array | Int32Array | Float32Array;
  /** Bytes before the data (magic, version, length, header). */
  dataOffset: number;
}

export function readNpy(bytes: Buffer): Npy {
  if (bytes.subarray(0, 6).toString('latin1') !== '\x93NUMPY') throw new Error('not an npy file');
  if (bytes[6] !== 1 || bytes[7] !== 0) throw new Error(`npy version ${bytes[6]}.${bytes[7]}`);
  const headerLength = bytes.readUInt16LE(8);
  const header = bytes.subarray(10, 10 + headerLength).toString('latin1');
  const descr = /'descr': '([^']+)'/.exec(header)![1];
  if (!/'fortran_order': False/.test(header)) throw new Error('fortran order');
  const shape = /'shape': \(([^)]*)\)/
    .exec(header)![1]
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  const dataOffset = 10 + headerLength;
  const count = shape.reduce((a, b) => a * b, 1);
  const data = bytes.subarray(dataOffset);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let values: Npy['values'];
  if (descr === '|u1') values = Uint8Array.from(data.subarray(0, count));
  else if (descr === '<i4') values = Int32Array.from({ length: count }, (_, i) => view.getInt32(4 * i, true));
  else if (descr === '<f4') values = Float32Array.from({ length: count }, (_, i) => view.getFloat32(4 * i, true));
  else throw new Error(`dtype ${descr}`);
  const itemSize = descr === '|u1' ? 1 : 4;
  if (data.byteLength !== count * itemSize) throw new Error(`${data.byteLength} data bytes for ${count} items`);
  return { descr, shape, values, dataOffset };
}
