/**
 * The import arrows between the files of src/ (static, type-only, re-exports and `import()` alike, read with the
 * TypeScript compiler's own pre-processor) and their cycles, as strongly connected components: any two files in one
 * component reach each other.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** Every .ts / .tsx file under `root`, as paths relative to `root`'s parent, with '/' separators. */
export function sourceFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.d.ts'))
    .map((f) => path.join(root, f).split(path.sep).join('/'))
    .sort();
}

/** file → the files of the same tree it imports (relative specifiers only; `.js` maps back to `.ts` or `.tsx`). */
export function importGraph(files: string[]): Map<string, string[]> {
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = info.importedFiles
      .map((i) => i.fileName)
      .filter((s) => s.startsWith('.'))
      .map((s) => resolve(path.posix.join(path.posix.dirname(file), s), known))
      .filter((t): t is string => t !== undefined);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

function resolve(spec: string, known: Set<string>): string | undefined {
  const base = spec.replace(/\.(js|jsx|ts|tsx)$/, '');
  return [`${base}.ts`, `${base}.tsx`, `${base}/index.ts`].find((c) => known.has(c));
}

/** The components of more than one file (or a file importing itself), each sorted, by Tarjan's algorithm. */
export function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

/** The room of a file: its top folder under src/ (a file directly under src/ is a room of its own). */
export function roomOf(file: string): string {
  return file
    .split('/')
    .slice(0, 2)
    .join('/')
    .replace(/\.tsx?$/, '');
}

/** The graph of rooms: an arrow wherever a file of one imports a file of another. */
export function roomGraph(graph: Map<string, string[]>): Map<string, string[]> {
  const rooms = new Map<string, Set<string>>();
  for (const [file, targets] of graph) {
    const from = roomOf(file);
    if (!rooms.has(from)) rooms.set(from, new Set());
    for (const t of targets) if (roomOf(t) !== from) rooms.get(from)!.add(roomOf(t));
  }
  return new Map([...rooms].map(([k, v]) => [k, [...v]]));
}

/** The imports from a file of one room into a file of the other, for a readable failure. */
export function arrowsBetween(graph: Map<string, string[]>, rooms: string[]): string[] {
  const out: string[] = [];
  for (const [file, targets] of graph) {
    for (const t of targets) {
      if (roomOf(file) !== roomOf(t) && rooms.includes(roomOf(file)) && rooms.includes(roomOf(t)))
        out.push(`${file} -> ${t}`);
    }
  }
  return out;
}
