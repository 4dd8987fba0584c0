/**
 * Chunked line iteration over input files: the one place that touches the file system while reading rows.
 *
 * Files are streamed in chunks (never read as one string) and every line is handed to a synchronous handler as a byte
 * range of a Buffer, so a format that can parse bytes directly (criteo) never allocates a string per line. Line
 * numbers are 1-based per file and count every line, so messages point at the line a text editor shows.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../../errors.js';

/** One input file: its absolute path and the shorter form used in messages. */
export interface InputFile {
  abs: string;
  shown: string;
}

/** Receives one line as buf[start, end) (no line terminator, never empty) and its 1-based line number. */
export type LineHandler = (buf: Buffer, start: number, end: number, line: number) => void;

const NEWLINE = 10;
const CARRIAGE_RETURN = 13;

/** The path as a message should show it: relative to the working directory when that is shorter. */
export function shownPath(abs: string): string {
  const rel = path.relative(process.cwd(), abs);
  return rel !== '' && rel.length < abs.length ? rel : abs;
}

export function inputFile(baseDir: string, p: string): InputFile {
  const abs = path.resolve(baseDir, p);
  return { abs, shown: shownPath(abs) };
}

/** Fails early, before any row is read, when an input file is absent or not a regular file. */
export function checkReadableFile(file: InputFile, key: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file.abs);
  } catch {
    throw new UsageError(
      `${key}: file not found: ${file.shown}`,
      "check the path (relative paths start at the space file's folder)",
    );
  }
  if (!stat.isFile()) {
    throw new UsageError(`${key}: not a file: ${file.shown}`, 'point it at a data file');
  }
}

function isFsError(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).syscall === 'string';
}

function cannotRead(file: InputFile, e: NodeJS.ErrnoException): UsageError {
  return new UsageError(
    `cannot read ${file.shown} (${e.code ?? e.message})`,
    'check that the file exists and is readable',
  );
}

/** Bytes read between two yields to the event loop (so a progress display stays alive during a long read). */
const YIELD_BYTES = 16 << 20;

/**
 * Streams `file` line by line into `onLine`. Empty lines (also "\r\n" ones) are passed over; a UTF-8 BOM is dropped.
 *
 * Chunks are read synchronously into one buffer that is reused (the piece of a line cut by a chunk's end is moved to
 * its front first), yielding to the event loop every YIELD_BYTES. An asynchronous read would hand every chunk to a
 * worker thread and back: on a busy machine the parser then waits for that thread to be scheduled (a tenth of the
 * load time was spent so, even with the next chunk read ahead), while copying a chunk from the page cache on this
 * thread costs far less. The reused buffer also leaves no trail of chunk buffers for the garbage collector. The
 * buffer handed to `onLine` is only valid during the call.
 */
export async function forEachLine(file: InputFile, onLine: LineHandler, chunkBytes = 1 << 20): Promise<void> {
  let lineNo = 0;
  const emit = (buf: Buffer, start: number, end: number): void => {
    lineNo++;
    if (lineNo === 1 && end - start >= 3 && buf[start] === 0xef && buf[start + 1] === 0xbb && buf[start + 2] === 0xbf) {
      start += 3;
    }
    if (end > start && buf[end - 1] === CARRIAGE_RETURN) end--;
    if (end > start) onLine(buf, start, end, lineNo);
  };
  let fd: number;
  try {
    fd = fs.openSync(file.abs, 'r');
  } catch (e) {
    throw isFsError(e) ? cannotRead(file, e) : e;
  }
  try {
    let buf = Buffer.allocUnsafe(Math.max(1, chunkBytes));
    let carried = 0;
    let sinceYield = 0;
    for (;;) {
      if (carried === buf.length) {
        // A line longer than the buffer: make room for the rest of it.
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, carried);
        buf = bigger;
      }
      const bytesRead = fs.readSync(fd, buf, carried, buf.length - carried, null);
      const filled = buf.subarray(0, carried + bytesRead);
      let pos = 0;
      for (let nl = filled.indexOf(NEWLINE); nl >= 0; nl = filled.indexOf(NEWLINE, pos)) {
        emit(filled, pos, nl);
        pos = nl + 1;
      }
      if (bytesRead === 0) {
        if (pos < filled.length) emit(filled, pos, filled.length);
        return;
      }
      carried = filled.length - pos;
      buf.copyWithin(0, pos, filled.length);
      sinceYield += bytesRead;
      if (sinceYield >= YIELD_BYTES) {
        sinceYield = 0;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
  } catch (e) {
    if (isFsError(e)) throw cannotRead(file, e);
    throw e;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The first non-empty line of a file and its line number, read synchronously so a reader can know its columns (and
 * so its field names) before streaming. Null for a file with no non-empty line.
 */
export function readFirstLineSync(file: InputFile): { text: string; line: number } | null {
  let fd: number;
  try {
    fd = fs.openSync(file.abs, 'r');
  } catch (e) {
    throw isFsError(e) ? cannotRead(file, e) : e;
  }
  try {
    let bytes = Buffer.alloc(0);
    let from = 0;
    let lineNo = 0;
    let eof = false;
    for (;;) {
      let nl = bytes.indexOf(NEWLINE, from);
      if (nl < 0 && !eof) {
        const block = Buffer.alloc(1 << 16);
        const n = fs.readSync(fd, block, 0, block.length, null);
        eof = n === 0;
        bytes = Buffer.concat([bytes, block.subarray(0, n)]);
        continue;
      }
      if (nl < 0) {
        if (from >= bytes.length) return null;
        nl = bytes.length;
      }
      lineNo++;
      let text = bytes.toString('utf8', from, nl).replace(/\r$/, '');
      if (lineNo === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      if (text !== '') return { text, line: lineNo };
      from = nl + 1;
    }
  } catch (e) {
    throw isFsError(e) ? cannotRead(file, e) : e;
  } finally {
    fs.closeSync(fd);
  }
}
