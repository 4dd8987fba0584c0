/**
 * The one way embnas writes numbers, in the terminal UI, plain lines, `list`, `show`, `export` messages and the HTML
 * report alike: bytes in decimal units (the reward's budget is in MB = 10^6 bytes), three significant digits;
 * durations; rates; metrics with four decimals; norm budgets.
 */

/** Memory is reported in decimal megabytes (10^6 bytes), the unit of the reward's `budgetMB`. */
export const BYTES_PER_MB = 1_000_000;

const DASH = '—';

/** 1234567 → "1.23 MB"; three significant digits, B / KB / MB / GB. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return DASH;
  if (bytes < 1000) return `${Math.round(bytes)} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${threeDigits(value)} ${units[unit]}`;
}

function threeDigits(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

/** Milliseconds → "h:mm:ss" (hours grow past 9 without padding). */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return DASH;
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

/** Seconds → "h:mm:ss", for durations kept in seconds (a one-shot phase's wall clock). */
export function formatSeconds(seconds: number | undefined): string {
  return formatDuration(seconds === undefined ? undefined : seconds * 1000);
}

/** Rows per second: 850 → "850", 12345 → "12.3k", 2.5e6 → "2.50M". */
export function formatRate(perSec: number): string {
  if (!Number.isFinite(perSec) || perSec < 0) return DASH;
  if (perSec < 1000) return perSec.toFixed(0);
  if (perSec < 1e6) return `${threeDigits(perSec / 1000)}k`;
  return `${threeDigits(perSec / 1e6)}M`;
}

/** AUC, reward and loss are shown with four decimals; missing values as a dash. */
export function formatMetric(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? DASH : value.toFixed(4);
}

/** Norm budget α: 0 → "off", 0.001 → "1e-3", 0.0015 → "1.5e-3", 0.05 → "0.05". */
export function formatNormAlpha(alpha: number): string {
  if (alpha === 0) return 'off';
  if (Math.abs(alpha) < 0.01) return alpha.toExponential();
  return String(alpha);
}
