/**
 * The --out folder of `embnas data export`: a new folder in an existing, writable one, or an empty folder. Anything
 * else is refused before the data is loaded — a mistyped path must not cost a long parse, and existing files are
 * never overwritten.
 */
import { accessSync, constants, existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../../errors.js';

export function checkOutDir(out: string): void {
  const pick = 'pass a new folder name with --out';
  if (existsSync(out)) {
    if (!statSync(out).isDirectory()) throw new UsageError(`--out ${out}: is a file`, pick);
    if (readdirSync(out).length > 0)
      throw new UsageError(`--out ${out}: exists and is not empty`, `${pick}, or empty it first`);
  }
  const parent = path.dirname(path.resolve(out));
  if (!existsSync(parent))
    throw new UsageError(`--out ${out}: the folder ${parent} does not exist`, `create it first, or ${pick}`);
  if (!statSync(parent).isDirectory()) throw new UsageError(`--out ${out}: ${parent} is not a folder`, pick);
  try {
    accessSync(parent, constants.W_OK);
  } catch {
    throw new UsageError(`--out ${out}: cannot write in ${parent}`, `${pick} in a folder you can write to`);
  }
}

/** A file-system error while writing `out` (a full disk, a read-only mount) as the user's one line. */
export function writeFailed(out: string, e: unknown): UsageError | unknown {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (typeof code !== 'string') return e;
  return new UsageError(
    `--out ${out}: cannot write (${(e as Error).message.split(',')[0]})`,
    `pass another folder with --out; nothing was left at ${out}`,
  );
}
