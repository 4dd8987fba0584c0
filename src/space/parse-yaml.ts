/**
 * YAML text validated by a zod schema, every problem one UsageError line naming the source, the line when it is known
 * and the key path. Shared by the search-space loaders and by the configuration files `embnas train` reads, so that a
 * typo reads the same way wherever it is made.
 */
import { readFileSync } from 'node:fs';
import { isMap, isNode, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { UsageError } from '../errors.js';

/** A parsed document, for callers that check more than the schema and want a line for a key path. */
export interface ParsedYaml {
  raw: unknown;
  /** The 1-based line of the value at `keys` (or of the nearest parent that has one). */
  lineOf: (keys: (string | number)[]) => number | undefined;
}

/** The text of a file the user named; a missing, folder or unreadable file is one line: `label: why — hint`. */
export function readUserFile(file: string, label: string, hint: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder' : `cannot be read (${code})`;
    throw new UsageError(`${label}: ${why}`, hint);
  }
}

/** Parses YAML (or JSON) text; a syntax error names `label` and its line. */
export function parseYamlText(text: string, label: string, fix = 'fix the YAML syntax'): ParsedYaml {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    const line = lines.linePos(err.pos[0]).line;
    throw new UsageError(`${label}:${line}: invalid YAML: ${err.message.split('\n')[0]}`, fix);
  }
  return { raw: toJS(doc, label), lineOf: (keys) => lineOf(doc, lines, keys) };
}

/** The document's value; an alias expanded past the `yaml` package's limit (an "alias bomb") is the file's to fix. */
function toJS(doc: Document, label: string): unknown {
  try {
    return doc.toJS();
  } catch (e) {
    if (e instanceof Error && /alias count/i.test(e.message)) {
      throw new UsageError(
        `${label}: too many YAML alias expansions (${e.message.split('\n')[0]})`,
        'write the values out instead of nesting aliases (*name)',
      );
    }
    throw e;
  }
}

/** Validates `parsed.raw` (or `value`, found at `prefix` in the document) against `schema`. */
export function validateYaml<S extends z.ZodType>(
  schema: S,
  parsed: ParsedYaml,
  label: string,
  value: unknown = parsed.raw,
  prefix: (string | number)[] = [],
): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const at = [...prefix, ...issue.path.map((p) => (typeof p === 'number' ? p : String(p)))];
  const where = (keys: (string | number)[]) => {
    const line = parsed.lineOf(keys);
    return `${label}${line ? `:${line}` : ''}: ${formatPath(keys) || '(top level)'}`;
  };
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0];
    return fail(
      `${where([...at, key])}: unknown key "${key}"`,
      `remove it or fix its spelling (allowed here: ${allowedKeys(schema, at.slice(prefix.length))})`,
    );
  }
  // zod does not report the input: a key is missing when the document has nothing at its path.
  const found = valueAt(value, issue.path);
  if (issue.code === 'invalid_type' && found === undefined) {
    return fail(
      `${where(at)}: required key is missing`,
      `add ${formatPath(at)} (expected ${expected(issue.expected)})`,
    );
  }
  if (issue.code === 'invalid_type') {
    return fail(`${where(at)}: expected ${expected(issue.expected)}, found ${describe(found)}`, 'fix the value');
  }
  if (issue.code === 'invalid_value') {
    return fail(
      `${where(at)}: expected one of ${issue.values.map((v) => String(v)).join(', ')}, found ${describe(found)}`,
      'fix the value',
    );
  }
  // A rule on a value (a range, a pattern): zod's words, and the value when it is a single one.
  const scalar = found === null || typeof found !== 'object';
  return fail(`${where(at)}: ${issue.message}${scalar ? `, found ${describe(found)}` : ''}`, 'fix the value');
}

/** zod's type names in words a YAML author uses. */
function expected(type: string): string {
  const words: Record<string, string> = {
    number: 'a number',
    int: 'a whole number',
    string: 'a string',
    boolean: 'true or false',
    array: 'a list',
    object: 'a mapping (key: value lines)',
    record: 'a mapping (key: value lines)',
    bigint: 'a whole number',
  };
  return words[type] ?? type;
}

/** What the document holds, as the author wrote it: `the string "fast"`, `2.5`, `a list`, `nothing (null)`. */
function describe(value: unknown): string {
  if (value === null) return 'nothing (null)';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'number')
    return Number.isInteger(value) ? `the number ${value}` : `the fractional number ${value}`;
  if (typeof value === 'boolean') return `${value}`;
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'object') return 'a mapping';
  return typeof value;
}

function valueAt(value: unknown, keys: readonly PropertyKey[]): unknown {
  let v = value;
  for (const k of keys) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

function fail(message: string, hint: string): never {
  throw new UsageError(message, hint);
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

export function formatPath(keys: (string | number)[]): string {
  return keys.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
}

/** The keys a strict object at `at` accepts, for the "did you mean" part of an unknown-key message. */
function allowedKeys(root: unknown, at: (string | number)[]): string {
  let schema: unknown = root;
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
  while (s?.def && ['default', 'prefault', 'optional', 'nullable'].includes(s.def.type ?? ''))
    s = s.def.innerType as typeof s;
  return s;
}
