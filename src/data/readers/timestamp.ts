/**
 * Calendar parts of a timestamp cell, for csv `derive`: the hour of day (0–23) and the weekday (0 = Sunday) in UTC.
 * Accepts ISO 8601 date-times as click logs write them: "2017-11-07 09:30:38", "2017-11-07T09:30:38Z", with optional
 * fractional seconds and an optional offset ("+02:00", "-0500"); a time without an offset is taken as UTC.
 */

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** weekday·24 + hour in UTC, or −1 when the cell is not a valid timestamp. */
export function packedHour(cell: string): number {
  const m = ISO.exec(cell);
  if (m === null) return -1;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((x) => Number(x ?? 0));
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 60) return -1;
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute));
  if (date.getUTCDate() !== day) return -1; // e.g. 2017-02-30
  const zone = m[7];
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offset = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2));
    date.setUTCMinutes(date.getUTCMinutes() - sign * offset);
  }
  return date.getUTCDay() * 24 + date.getUTCHours();
}

/** The part of a packed hour a derived field holds. */
export function partOf(packed: number, part: 'hour' | 'weekday'): number {
  return part === 'hour' ? packed % 24 : Math.floor(packed / 24);
}

/** packedHour with memory: a log holds far fewer distinct timestamps than rows, and the same cell repeats nearby. */
export class TimestampCache {
  private readonly known = new Map<string, number>();

  parse(cell: string): number {
    let packed = this.known.get(cell);
    if (packed === undefined) {
      packed = packedHour(cell);
      if (this.known.size >= 100_000) this.known.clear();
      this.known.set(cell, packed);
    }
    return packed;
  }
}
