/**
 * A small self-describing binary container for engine state (a checkpoint of a supernet, say): one JSON header and
 * the raw arrays, so state of hundreds of megabytes is written and read without going through JSON numbers, and a
 * stored blob can be checked before anything is restored from it.
 *
 * Layout, little-endian: magic "EMBNSTAT" (8 bytes) · format version (u32) · header length in bytes (u32) · the
 * header, UTF-8 JSON `{ meta, arrays: [{ type: 'f32' | 'i32', length }] }` · zero padding to a multiple of 4 · the
 * arrays' bytes, one after the other. A buffer that is cut short, too long, or not such a blob is refused with a
 * plain Error saying which.
 */

const MAGIC = 'EMBNSTAT';
export const STATE_BLOB_VERSION = 1;
const PREFIX = MAGIC.length + 8;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export type StateArray = Float32Array | Int32Array;

interface ArrayEntry {
  type: 'f32' | 'i32';
  length: number;
}

/** The meta (plain JSON) and arrays as one Buffer. */
export function encodeStateBlob(meta: unknown, arrays: readonly StateArray[]): Buffer {
  const entries: ArrayEntry[] = arrays.map((a) => ({
    type: a instanceof Int32Array ? 'i32' : 'f32',
    length: a.length,
  }));
  const header = Buffer.from(JSON.stringify({ meta, arrays: entries }), 'utf8');
  const dataStart = align4(PREFIX + header.length);
  const out = Buffer.alloc(dataStart + arrays.reduce((n, a) => n + a.byteLength, 0));
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(STATE_BLOB_VERSION, MAGIC.length);
  out.writeUInt32LE(header.length, MAGIC.length + 4);
  header.copy(out, PREFIX);
  let at = dataStart;
  for (const a of arrays) {
    if (LITTLE_ENDIAN) out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
    else
      a.forEach((v, i) =>
        a instanceof Int32Array ? out.writeInt32LE(v, at + 4 * i) : out.writeFloatLE(v, at + 4 * i),
      );
    at += a.byteLength;
  }
  return out;
}

/** The meta and fresh copies of the arrays of a blob written by encodeStateBlob. */
export function decodeStateBlob(buf: Uint8Array): { meta: unknown; arrays: StateArray[] } {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.length < PREFIX || b.toString('latin1', 0, MAGIC.length) !== MAGIC) {
    throw new Error(`not an embnas state blob (it does not start with "${MAGIC}")`);
  }
  const version = b.readUInt32LE(MAGIC.length);
  if (version !== STATE_BLOB_VERSION)
    throw new Error(`state blob of format version ${version}; this build reads version ${STATE_BLOB_VERSION}`);
  const headerLength = b.readUInt32LE(MAGIC.length + 4);
  if (PREFIX + headerLength > b.length)
    throw new Error(`truncated state blob: its header needs ${PREFIX + headerLength} bytes, the blob has ${b.length}`);
  let header: { meta?: unknown; arrays?: unknown };
  try {
    header = JSON.parse(b.toString('utf8', PREFIX, PREFIX + headerLength));
  } catch (e) {
    throw new Error(`corrupt state blob: its header is not JSON (${(e as Error).message})`);
  }
  const entries = header.arrays;
  if (!Array.isArray(entries) || !entries.every(isEntry))
    throw new Error('corrupt state blob: its header does not list the arrays');
  const dataStart = align4(PREFIX + headerLength);
  const expected = dataStart + entries.reduce((n, e) => n + 4 * e.length, 0);
  if (b.length < expected)
    throw new Error(`truncated state blob: ${b.length} bytes of the ${expected} its header describes`);
  if (b.length > expected)
    throw new Error(`corrupt state blob: ${b.length - expected} bytes after the ${expected} its header describes`);
  let at = dataStart;
  const arrays = entries.map((e) => {
    const a = e.type === 'i32' ? new Int32Array(e.length) : new Float32Array(e.length);
    if (LITTLE_ENDIAN) new Uint8Array(a.buffer).set(b.subarray(at, at + a.byteLength));
    else
      for (let i = 0; i < e.length; i++)
        a[i] = e.type === 'i32' ? b.readInt32LE(at + 4 * i) : b.readFloatLE(at + 4 * i);
    at += a.byteLength;
    return a;
  });
  return { meta: header.meta, arrays };
}

function isEntry(e: unknown): e is ArrayEntry {
  const { type, length } = (e ?? {}) as Partial<ArrayEntry>;
  return (type === 'f32' || type === 'i32') && Number.isSafeInteger(length) && (length as number) >= 0;
}

function align4(n: number): number {
  return Math.ceil(n / 4) * 4;
}
