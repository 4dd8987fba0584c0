/** Aligned plain-text tables for `list`, `show` and `data inspect` (no colours: these go to pipes too). */
export function table(header: string[], rows: (string | number)[][], rightAlign: boolean[] = []): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? '').length)));
  return cells
    .map((r) =>
      r
        .map((cell, c) => (rightAlign[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

import { formatBytes } from '../units.js';

export const fmt = {
  auc: (x: number | null | undefined) => (x === null || x === undefined ? '-' : x.toFixed(4)),
  reward: (x: number | null | undefined) => (x === null || x === undefined ? '-' : x.toFixed(4)),
  /** Memory as everywhere else (units.ts): "97.6 KB", "1.23 MB". */
  bytes: (bytes: number | null | undefined) => (bytes === null || bytes === undefined ? '-' : formatBytes(bytes)),
  date: (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 16),
};
