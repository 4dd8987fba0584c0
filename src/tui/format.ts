/**
 * Text formatting shared by the ink screen and the plain line reporter, so both speak the same numbers.
 */

// Numbers have one formatter for the whole tool (units.ts); re-exported for the screen's components.
import { formatNormAlpha } from '../units.js';
export { BYTES_PER_MB, formatBytes, formatDuration, formatMetric, formatNormAlpha, formatRate } from '../units.js';

/** Per-field dims in field order, with the technique of a field that has one: "user:16/b16,4 item:8 city:0". */
export function formatDims(dims: readonly { name: string; dim: number; technique?: string }[]): string {
  return dims.map((d) => `${d.name}:${d.dim}${d.technique ?? ''}`).join(' ');
}

/**
 * Per-field norm budgets, only the kept fields where it is on: "user:1e-3 item:1e-4" (empty when all are off). A
 * dropped field (dim 0) has no rows for a budget to act on.
 */
export function formatNormBudgets(dims: readonly { name: string; normAlpha: number; dim?: number }[]): string {
  return dims
    .filter((d) => d.normAlpha !== 0 && d.dim !== 0)
    .map((d) => `${d.name}:${formatNormAlpha(d.normAlpha)}`)
    .join(' ');
}

/**
 * Per-field settings ("user:16/α1e-3 item:8/m2 …", space-separated) abbreviated until they fit `width` instead of
 * losing the last fields: first without the α and technique suffixes, then with field names cut to 3 letters, then
 * the dims alone ("16 8 0 4"); only then cut.
 */
export function fitDims(text: string, width: number): string {
  if (text.length <= width) return text;
  const fields = text
    .split(' ')
    .filter((f) => f !== '')
    .map((f) => {
      const at = f.lastIndexOf(':');
      return { name: f.slice(0, at), dim: f.slice(at + 1).split('/')[0] ?? '' };
    });
  const candidates = [
    fields.map((f) => `${f.name}:${f.dim}`).join(' '),
    fields.map((f) => `${f.name.slice(0, 3)}:${f.dim}`).join(' '),
    fields.map((f) => f.dim).join(' '),
  ];
  return truncate(candidates.find((c) => c.length <= width) ?? candidates[candidates.length - 1], width);
}

/** Cuts text to `width` columns, marking the cut with "…". Counts code units: names and numbers are ASCII. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  if (text.length <= width) return text;
  return width === 1 ? '…' : `${text.slice(0, width - 1)}…`;
}

/** One line, no control characters: error messages can carry newlines or colour codes from elsewhere. */
export function oneLine(text: string): string {
  return stripAnsi(text)
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .trim();
}

// CSI sequences (colours, cursor moves) and OSC sequences (hyperlinks, titles).
const ANSI_PATTERN = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u009b[0-?]*[ -/]*[@-~]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI_PATTERN, '');
}
