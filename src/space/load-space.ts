/**
 * Loads and validates a search-space file. Every problem becomes one UsageError line naming the file, the line when it
 * is known, the key path, and what to do.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isMap, isNode, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { UsageError } from '../errors.js';
import { SpaceSchema, type Space } from './schema.js';

export interface LoadedSpace {
  space: Space;
  /** Absolute path of the space file. */
  file: string;
  /** Folder against which the space's relative data paths resolve. */
  baseDir: string;
  /** The file's text, stored with each search so a resume can tell whether the space changed. */
  text: string;
  /** sha256 of the text. */
  hash: string;
}

export function loadSpace(file: string): LoadedSpace {
  const abs = path.resolve(file);
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder' : `cannot be read (${code})`;
    throw new UsageError(`${file}: ${why}`, 'pass the path of a search-space YAML file (see search-spaces/)');
  }
  return { ...parseSpace(text, file), file: abs, baseDir: path.dirname(abs), text, hash: hashText(text) };
}

/** Parses and validates space text; `label` names the source in messages. */
export function parseSpace(text: string, label: string): { space: Space } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    const line = lines.linePos(err.pos[0]).line;
    throw new UsageError(`${label}:${line}: invalid YAML: ${err.message.split('\n')[0]}`, 'fix the YAML syntax');
  }
  const raw: unknown = doc.toJS();
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new UsageError(`${label}: a search space must be a YAML mapping with data:, reward: and more`, 'see search-spaces/ for examples');
  }
  checkRolesWithoutSplit(raw as Record<string, unknown>, doc, lines, label);
  const parsed = SpaceSchema.safeParse(raw);
  if (!parsed.success) throw issueToError(parsed.error.issues[0], doc, lines, label);
  return { space: parsed.data };
}

/** Files by role are the split: fractions besides them would contradict them (the schema fills split's defaults). */
function checkRolesWithoutSplit(raw: Record<string, unknown>, doc: Document, lines: LineCounter, label: string): void {
  const data = raw.data as Record<string, unknown> | undefined;
  const p = data?.path;
  if (p === null || typeof p !== 'object' || Array.isArray(p) || data?.split === undefined) return;
  const line = lineOf(doc, lines, ['data', 'split']);
  throw new UsageError(
    `${label}${line ? `:${line}` : ''}: data.split: data.path names the files' roles (train, valid, test), which are the split`,
    'remove data.split, or give data.path as a file or list and split it by fractions',
  );
}

export function hashText(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function issueToError(issue: z.core.$ZodIssue, doc: Document, lines: LineCounter, label: string): UsageError {
  const at = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
  const where = (keys: (string | number)[]) => {
    const line = lineOf(doc, lines, keys);
    return `${label}${line ? `:${line}` : ''}: ${formatPath(keys) || '(top level)'}`;
  };
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0];
    return new UsageError(`${where([...at, key])}: unknown key "${key}"`, `remove it or fix its spelling (allowed here: ${allowedKeys(at)})`);
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    return new UsageError(`${where(at)}: required key is missing`, `add ${formatPath(at)} (expected ${issue.expected})`);
  }
  return new UsageError(`${where(at)}: ${issue.message}`, 'fix the value');
}

function lineOf(doc: Document, lines: LineCounter, keys: (string | number)[]): number | undefined {
  for (let n = keys.length; n > 0; n--) {
    const node = doc.getIn(keys.slice(0, n), true);
    if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
    // A key whose value is null has no value node: point at the parent mapping's pair instead.
    const parent = n > 1 ? doc.getIn(keys.slice(0, n - 1), true) : doc.contents;
    if (isMap(parent)) {
      const pair = parent.items.find((p) => isNode(p.key) && (p.key as { value?: unknown }).value === keys[n - 1]);
      if (pair && isNode(pair.key) && pair.key.range) return lines.linePos(pair.key.range[0]).line;
    }
  }
  return undefined;
}

function formatPath(keys: (string | number)[]): string {
  return keys.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
}

/** The keys a strict object at `at` accepts, for the "did you mean" part of an unknown-key message. */
function allowedKeys(at: (string | number)[]): string {
  let schema: unknown = SpaceSchema;
  for (const key of at) {
    schema = unwrap(schema);
    const shape = (schema as { shape?: Record<string, unknown> }).shape;
    const record = (schema as { def?: { type?: string; valueType?: unknown } }).def;
    if (shape && typeof key === 'string' && key in shape) schema = shape[key];
    else if (record?.type === 'record') schema = record.valueType;
    else if (record?.type === 'array') schema = (record as { element?: unknown }).element;
    else return '?';
  }
  const shape = objectShape(unwrap(schema));
  return shape ? Object.keys(shape).join(', ') : '?';
}

/** The keys of an object schema, or of the one object among a union's options (data.path: a file, a list, or roles). */
function objectShape(schema: unknown): Record<string, unknown> | undefined {
  const s = schema as { shape?: Record<string, unknown>; def?: { type?: string; options?: unknown[] } };
  if (s.shape) return s.shape;
  if (s.def?.type !== 'union') return undefined;
  const shapes = (s.def.options ?? []).map((o) => objectShape(unwrap(o))).filter((x) => x !== undefined);
  return shapes.length === 1 ? shapes[0] : undefined;
}

function unwrap(schema: unknown): unknown {
  let s = schema as { def?: { type?: string; innerType?: unknown } };
  while (s?.def && ['default', 'prefault', 'optional', 'nullable'].includes(s.def.type ?? '')) s = s.def.innerType as typeof s;
  return s;
}
