/**
 * Splitting one CSV line into trimmed cells. Quoted cells ("a,b", "say ""hi""") may hold the delimiter and doubled
 * quotes; a quoted cell cannot span lines (rows are read line by line), so an unclosed quote makes the line malformed.
 */

const QUOTE = '"';

/** The cells of `line`, each trimmed of surrounding spaces (quoted content is kept as is), or null for an unclosed quote. */
export function splitCsvLine(line: string, delimiter: string): string[] | null {
  if (!line.includes(QUOTE)) return line.split(delimiter).map((cell) => cell.trim());
  const cells: string[] = [];
  let p = 0;
  for (;;) {
    while (p < line.length && line[p] === ' ' && !line.startsWith(delimiter, p)) p++;
    if (line[p] === QUOTE) {
      const parsed = readQuoted(line, p + 1);
      if (parsed === null) return null;
      let rest = parsed.end;
      // Anything between the closing quote and the next delimiter is kept, like spreadsheet programs do.
      const next = line.indexOf(delimiter, rest);
      const tail = line.slice(rest, next < 0 ? line.length : next).trim();
      cells.push(parsed.text + tail);
      if (next < 0) return cells;
      rest = next + delimiter.length;
      p = rest;
    } else {
      const next = line.indexOf(delimiter, p);
      if (next < 0) {
        cells.push(line.slice(p).trim());
        return cells;
      }
      cells.push(line.slice(p, next).trim());
      p = next + delimiter.length;
    }
  }
}

/** The content of a quoted cell opened just before `from`, and the index after its closing quote. */
function readQuoted(line: string, from: number): { text: string; end: number } | null {
  let text = '';
  let p = from;
  for (;;) {
    const q = line.indexOf(QUOTE, p);
    if (q < 0) return null;
    text += line.slice(p, q);
    if (line[q + 1] === QUOTE) {
      text += QUOTE;
      p = q + 2;
    } else {
      return { text, end: q + 1 };
    }
  }
}
