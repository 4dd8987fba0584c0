/**
 * The canonical key of a trial config: two proposals with the same key describe the same candidate model, so the
 * second one can be answered from the first one's result (a cache hit) instead of training again.
 *
 * The training seed is left out on purpose: each trial's seed is derived from its number, so a repeated proposal
 * always has a new seed, and the point of the cache is to not pay for the same architecture twice.
 * Object keys are sorted and undefined values dropped so that key order and optional fields do not matter; array
 * order does (fields are matched by position). Settings that cannot change the model are left out (effectiveField).
 */
import { createHash } from 'node:crypto';
import type { FieldConfig, TrialConfig } from '../engine/trial-config.js';
import { type ConfigKey, TECHNIQUES } from '../techniques/index.js';

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = canonical(v);
    }
    return out;
  }
  return value;
}

export function canonicalConfigJson(config: TrialConfig): string {
  const { seed: _seed, ...rest } = config;
  return JSON.stringify(canonical({ ...rest, fields: rest.fields.map(effectiveField) }));
}

/**
 * Only what changes the model: a dropped field (dim 0) is the same whatever its norm budget or technique, and a
 * technique's setting that does nothing on its own (a residual α without Res-embedding, src/techniques/ `unused`) is
 * left out. Otherwise every proposal that differs only there would train again.
 */
function effectiveField(f: FieldConfig): FieldConfig {
  if (f.dim === 0) return { name: f.name, dim: 0, normAlpha: 0 };
  const unused = new Set(TECHNIQUES.flatMap((t) => t.unused?.(f) ?? []));
  if (unused.size === 0) return f;
  return Object.fromEntries(Object.entries(f).filter(([k]) => !unused.has(k as ConfigKey))) as FieldConfig;
}

/** sha256 of the canonical JSON, hex: short enough to index, collisions not a practical concern. */
export function configKey(config: TrialConfig): string {
  return createHash('sha256').update(canonicalConfigJson(config)).digest('hex');
}
