import { describe, expect, it } from 'vitest';
import {
  BYTES_PER_MB,
  formatBytes,
  formatDims,
  fitDims,
  formatDuration,
  formatNormAlpha,
  formatNormBudgets,
  formatRate,
  oneLine,
  stripAnsi,
  truncate,
} from '../../src/tui/format.js';
import { bar } from '../../src/tui/bars.js';
import { formatSeconds } from '../../src/units.js';

describe('format', () => {
  it('formats bytes with three significant digits', () => {
    expect(formatBytes(1.23 * BYTES_PER_MB)).toBe('1.23 MB');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(12.3 * 1000)).toBe('12.3 KB');
    expect(formatBytes(150 * BYTES_PER_MB)).toBe('150 MB');
    expect(formatBytes(2 * 1000 * BYTES_PER_MB)).toBe('2.00 GB');
  });

  it('abbreviates per-field settings to fit before cutting them', () => {
    const dims = 'user:16/α1e-3 item:8/m2 daytime:4 weekday:0';
    expect(fitDims(dims, 60)).toBe(dims);
    expect(fitDims(dims, 40)).toBe('user:16 item:8 daytime:4 weekday:0');
    expect(fitDims(dims, 30)).toBe('use:16 ite:8 day:4 wee:0');
    expect(fitDims(dims, 12)).toBe('16 8 4 0');
    expect(fitDims(dims, 6)).toBe('16 8 …');
  });

  it('formats durations as h:mm:ss', () => {
    expect(formatDuration(3_723_000)).toBe('1:02:03');
    expect(formatDuration(59_999)).toBe('0:00:59');
    expect(formatDuration(100 * 3600_000)).toBe('100:00:00');
    expect(formatDuration(undefined)).toBe('—');
    expect(formatSeconds(90.7)).toBe('0:01:30');
  });

  it('formats rates, norm budgets and dims', () => {
    expect(formatRate(850)).toBe('850');
    expect(formatRate(12_345)).toBe('12.3k');
    expect(formatRate(2_500_000)).toBe('2.50M');
    expect(formatNormAlpha(0)).toBe('off');
    expect(formatNormAlpha(0.001)).toBe('1e-3');
    expect(formatNormAlpha(0.0015)).toBe('1.5e-3');
    expect(
      formatDims([
        { name: 'user', dim: 16 },
        { name: 'city', dim: 0 },
      ]),
    ).toBe('user:16 city:0');
    expect(
      formatDims([
        { name: 'user', dim: 16, technique: '/b16,4' },
        { name: 'item', dim: 8, technique: '/m2' },
      ]),
    ).toBe('user:16/b16,4 item:8/m2');
  });

  it('truncates with an ellipsis and cleans control characters', () => {
    expect(truncate('user:16 item:8', 9)).toBe('user:16 …');
    expect(truncate('abc', 3)).toBe('abc');
    expect(truncate('abc', 0)).toBe('');
    expect(stripAnsi('\u001b[31mred\u001b[39m')).toBe('red');
    expect(oneLine('a\n  b\r\nc')).toBe('a b c');
  });

  it('draws bars of exact width with eighth blocks', () => {
    expect(bar(0.5, 4)).toBe('██░░');
    expect(bar(1, 3)).toBe('███');
    expect(bar(0, 3)).toBe('░░░');
    expect(bar(1 / 16, 2)).toBe('▏░');
    expect(bar(2, 5)).toHaveLength(5);
  });

  it('lists the norm budgets of kept fields only', () => {
    const dims = [
      { name: 'user', dim: 8, normAlpha: 1e-3 },
      { name: 'homework', dim: 0, normAlpha: 1e-3 },
      { name: 'city', dim: 2, normAlpha: 0 },
      { name: 'item', dim: 4, normAlpha: 1e-4 },
    ];
    expect(formatNormBudgets(dims)).toBe('user:1e-3 item:1e-4');
  });
});
