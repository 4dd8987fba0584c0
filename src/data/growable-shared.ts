/**
 * A typed array that grows in place on a growable SharedArrayBuffer.
 *
 * The encoder does not know the row count until the reader is done. Growing an ordinary buffer by doubling and then
 * copying into a SharedArrayBuffer would need up to three times the encoded size at the peak. A growable
 * SharedArrayBuffer reserves address space once and commits pages as it grows, without moving the data, so the
 * finished array is a view on the very buffer the rows were written into: the peak stays near the encoded size.
 * Untouched pages past the last row are never written and so never become resident memory.
 */
import { UsageError } from '../errors.js';

interface GrowableSharedArrayBuffer extends SharedArrayBuffer {
  readonly maxByteLength: number;
  grow(newByteLength: number): void;
}
type GrowableSabConstructor = new (byteLength: number, options: { maxByteLength: number }) => GrowableSharedArrayBuffer;

type TypedArrayKind = Int32ArrayConstructor | Float32ArrayConstructor;

function viewOf<T>(Kind: TypedArrayKind, sab: SharedArrayBuffer, length: number): T {
  return (Kind === Int32Array ? new Int32Array(sab, 0, length) : new Float32Array(sab, 0, length)) as T;
}

/** Largest reservation tried first; V8 on 64-bit Linux accepts up to 4 GiB per growable buffer. */
const MAX_RESERVATION = 2 ** 32;
const MIN_RESERVATION = 2 ** 26;

function reserve(initialBytes: number): GrowableSharedArrayBuffer {
  const Ctor = SharedArrayBuffer as unknown as GrowableSabConstructor;
  // A smaller address-space limit (ulimit -v) makes the large reservation fail: retry smaller before giving up.
  for (let max = MAX_RESERVATION; max >= MIN_RESERVATION; max /= 2) {
    try {
      return new Ctor(Math.min(initialBytes, max), { maxByteLength: max });
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
    }
  }
  throw new Error(`cannot reserve a growable SharedArrayBuffer of even ${MIN_RESERVATION} bytes`);
}

export class GrowableShared<T extends Int32Array | Float32Array> {
  private readonly sab: GrowableSharedArrayBuffer;
  private readonly bytesPer: number;
  /** Current view over the whole committed length; replaced on every growth. */
  view: T;

  constructor(
    private readonly Kind: TypedArrayKind,
    initialLength: number,
    /** Named in the error raised when the data does not fit (e.g. "encoded ids"). */
    private readonly what: string,
  ) {
    this.bytesPer = Kind.BYTES_PER_ELEMENT;
    this.sab = reserve(Math.max(1, initialLength) * this.bytesPer);
    this.view = viewOf<T>(Kind, this.sab, this.sab.byteLength / this.bytesPer);
  }

  /** Grows to hold at least `minLength` elements (by 1.5×, so a large dataset does not over-commit) and returns the view. */
  ensure(minLength: number): T {
    if (minLength <= this.view.length) return this.view;
    const max = this.sab.maxByteLength;
    const wantBytes = minLength * this.bytesPer;
    if (wantBytes > max) {
      throw new UsageError(
        `the dataset is too large: its ${this.what} need more than ${(max / 2 ** 30).toFixed(1)} GiB`,
        'use fewer rows or fields (a sample of the file)',
      );
    }
    const grown = Math.max(wantBytes, Math.ceil((this.view.length * 1.5) / 1024) * 1024 * this.bytesPer);
    this.sab.grow(Math.min(max, grown));
    this.view = viewOf<T>(this.Kind, this.sab, this.sab.byteLength / this.bytesPer);
    return this.view;
  }

  /** A fixed-length view of the first `length` elements, on the same shared memory. */
  finish(length: number): T {
    return viewOf<T>(this.Kind, this.sab, length);
  }
}
