/**
 * Loads and validates a search-space file. Every problem becomes one UsageError line naming the file, the line when it
 * is known, the key path, and what to do. `loadSpace` validates the whole space (a search needs all of it);
 * `loadDataSpace` only what a command that reads the data needs (`data:`, and `model:` for training one config), so
 * a data-only file is enough for `embnas data inspect`, `data export` and `train`.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { UsageError } from '../errors.js';
import { DataSchema } from './data-schema.js';
import { parseYamlText, readUserFile, validateYaml, type ParsedYaml } from './parse-yaml.js';
import { ModelSchema, SpaceSchema, type Space } from './schema.js';

interface LoadedFile {
  /** Absolute path of the space file. */
  file: string;
  /** Folder against which the space's relative data paths resolve. */
  baseDir: string;
  /** The file's text, stored with each search so a resume can tell whether the space changed. */
  text: string;
  /** sha256 of the text. */
  hash: string;
}

export interface LoadedSpace extends LoadedFile {
  space: Space;
}

/** The sections a data command reads; every other top-level key is left to the full loader. */
const DataSpaceSchema = z.looseObject({
  name: SpaceSchema.shape.name,
  data: DataSchema,
  model: ModelSchema.prefault({}),
});
export type DataSpace = z.infer<typeof DataSpaceSchema>;

export interface LoadedDataSpace extends LoadedFile {
  space: DataSpace;
}

export function loadSpace(file: string): LoadedSpace {
  const loaded = readSpaceFile(file);
  return { ...parseSpace(loaded.text, file), ...loaded };
}

/** A space file of which only `data:` (and `model:`, defaults filled in) is validated. */
export function loadDataSpace(file: string): LoadedDataSpace {
  const loaded = readSpaceFile(file);
  const parsed = parseYamlText(loaded.text, file);
  requireMapping(parsed.raw, file, 'a data: section');
  checkRolesWithoutSplit(parsed, file);
  return { space: validateYaml(DataSpaceSchema, parsed, file), ...loaded };
}

/** Parses and validates space text; `label` names the source in messages. */
export function parseSpace(text: string, label: string): { space: Space } {
  const parsed = parseYamlText(text, label);
  requireMapping(parsed.raw, label, 'data:, reward: and more');
  checkRolesWithoutSplit(parsed, label);
  return { space: validateYaml(SpaceSchema, parsed, label) };
}

/** Files by role are the split: fractions besides them would contradict them (the schema fills split's defaults). */
function checkRolesWithoutSplit(parsed: ParsedYaml, label: string): void {
  const data = (parsed.raw as Record<string, unknown>).data as Record<string, unknown> | undefined;
  const p = data?.path;
  if (p === null || typeof p !== 'object' || Array.isArray(p) || data?.split === undefined) return;
  const line = parsed.lineOf(['data', 'split']);
  throw new UsageError(
    `${label}${line ? `:${line}` : ''}: data.split: data.path names the files' roles (train, valid, test), which are the split`,
    'remove data.split, or give data.path as a file or list and split it by fractions',
  );
}

export function hashText(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function readSpaceFile(file: string): LoadedFile {
  const abs = path.resolve(file);
  const text = readUserFile(abs, file, 'pass the path of a search-space YAML file (see search-spaces/)');
  return { file: abs, baseDir: path.dirname(abs), text, hash: hashText(text) };
}

function requireMapping(raw: unknown, label: string, what: string): void {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new UsageError(
      `${label}: a search space must be a YAML mapping with ${what}`,
      'see search-spaces/ for examples',
    );
  }
}
