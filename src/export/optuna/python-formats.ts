/**
 * Text as Optuna's Python side writes it, so an exported file reads exactly like one Optuna wrote: `json.dumps` with
 * its defaults (", " and ": " separators, ASCII-only strings, Python's float repr, NaN/Infinity allowed) for attribute
 * values and distributions, and SQLAlchemy's SQLite DATETIME text for timestamps.
 */

export type PythonJsonValue = null | boolean | number | string | PythonJsonValue[] | { [key: string]: PythonJsonValue };

/** `json.dumps(value)` in Python. JavaScript has one number type: integer-valued numbers are written as Python ints. */
export function pythonJsonDumps(value: PythonJsonValue): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return pythonNumber(value);
  if (typeof value === 'string') return pythonString(value);
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  return `{${Object.entries(value)
    .map(([k, v]) => `${pythonString(k)}: ${pythonJsonDumps(v)}`)
    .join(', ')}}`;
}

/** Python's number text: `repr(int)` for safe integers, `float.__repr__` otherwise (json's NaN/Infinity spelling). */
export function pythonNumber(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (Number.isSafeInteger(x)) return String(x);
  // Both languages print the shortest digits that round-trip; they differ only in when they switch to an exponent
  // (Python: exponent < -4 or >= 16; JavaScript: < -6 or >= 21) and in its spelling (Python pads it to two digits).
  const [mantissa, exp] = x.toExponential().split('e');
  const e = Number(exp);
  if (e >= -4 && e < 16) {
    const fixed = String(x);
    return fixed.includes('.') || fixed.includes('e') ? fixed : `${fixed}.0`;
  }
  const sign = e < 0 ? '-' : '+';
  return `${mantissa}e${sign}${String(Math.abs(e)).padStart(2, '0')}`;
}

/** `json.dumps(str)` with ensure_ascii: every UTF-16 unit outside printable ASCII as \uXXXX. */
function pythonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (code < 0x20 || code > 0x7e) {
      for (let i = 0; i < ch.length; i++) out += `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`;
    } else out += ch;
  }
  return `${out}"`;
}

/**
 * SQLAlchemy's SQLite DATETIME text for a naive local datetime, 'YYYY-MM-DD HH:MM:SS.ffffff': Optuna stamps trials
 * with `datetime.now()`, the local wall clock without a zone, so an embnas timestamp is shown in the same local time.
 */
export function sqliteDateTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, width = 2) => String(n).padStart(width, '0');
  const date = `${p(d.getFullYear(), 4)}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
  return `${date} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds() * 1000, 6)}`;
}
