/**
 * Files by role as one Reader: the training files are read first, then the validation files, then the test files,
 * into the same encoder (so a value has one id everywhere), and the rows each role passed are counted. The split is
 * then the rows' roles (split.ts `planRoles`): nothing is drawn at random and nothing moves.
 */
import { UsageError } from '../errors.js';
import type { DataSpec } from '../space/data-schema.js';
import type { Key, ReadStats, Reader, RowSink } from './row-sink.js';
import { openReader } from './readers/index.js';
import { checkReadableFile, inputFile } from './readers/line-source.js';
import { checkRoles, roleKey, ROLES, type Role } from './role-paths.js';

export interface RolePart {
  role: Role;
  reader: Reader;
  /** The role's files as shown in messages. */
  shown: string;
}

export class RoleReader implements Reader {
  readonly fields: readonly string[];
  private readonly rows: Record<Role, number> = { train: 0, valid: 0, test: 0 };

  constructor(readonly parts: readonly RolePart[]) {
    this.fields = parts[0].reader.fields;
    for (const part of parts) {
      const fields = part.reader.fields;
      if (fields.length !== this.fields.length || fields.some((f, i) => f !== this.fields[i])) {
        throw new UsageError(
          `data.path.${part.role}: ${part.shown} has fields ${fields.join(', ')}, the training files ${this.fields.join(', ')}`,
          'give every role files of the same columns, or list the fields to use in data.fields',
        );
      }
    }
  }

  async read(sink: RowSink): Promise<ReadStats> {
    const stats: ReadStats = { rows: 0, skipped: 0, skippedExamples: [] };
    for (const part of this.parts) {
      const counter = countingSink(sink);
      const s = await part.reader.read(counter.sink);
      this.rows[part.role] += counter.rows();
      stats.rows += s.rows;
      stats.skipped += s.skipped;
      stats.skippedExamples.push(...s.skippedExamples.slice(0, Math.max(0, 5 - stats.skippedExamples.length)));
    }
    return stats;
  }

  /** Rows read per role; complete once read() has resolved. */
  rowsPerRole(): Record<Role, number> {
    return { ...this.rows };
  }

  /** The role's files as shown in messages. */
  shownFiles(role: Role): string {
    return this.parts
      .filter((p) => p.role === role)
      .map((p) => p.shown)
      .join(', ');
  }
}

/** Passes every call through to `sink` and counts the rows (the fast path stays a fast path). */
function countingSink(sink: RowSink): { sink: RowSink; rows: () => number } {
  let n = 0;
  const counted: RowSink = {
    row(label: number, keys: readonly Key[]) {
      n++;
      sink.row(label, keys);
    },
    expectRows: sink.expectRows?.bind(sink),
  };
  if (sink.rowsInt32 !== undefined) {
    const fast = sink.rowsInt32.bind(sink);
    counted.rowsInt32 = (labels, keys, count, stride) => {
      n += count;
      fast(labels, keys, count, stride);
    };
  }
  return { sink: counted, rows: () => n };
}

/** The reader of a spec whose data.path names roles: one reader per role with files, checked before any row is read. */
export function openRoleReader(spec: DataSpec, baseDir: string, roles: Record<Role, string[]>): RoleReader {
  checkRoles(spec, baseDir);
  const parts: RolePart[] = [];
  for (const role of ROLES) {
    const files = roles[role];
    if (files.length === 0) continue;
    files.forEach((p, i) => checkReadableFile(inputFile(baseDir, p), roleKey(spec, role, i)));
    // The first training file's header names the columns of every role (avazu: later files may start with data).
    const reader = openReader({ ...spec, path: files }, baseDir, { headerFrom: roles.train[0] });
    parts.push({ role, reader, shown: files.map((p) => inputFile(baseDir, p).shown).join(', ') });
  }
  return new RoleReader(parts);
}
