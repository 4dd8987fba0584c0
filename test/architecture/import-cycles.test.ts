/**
 * Imports point down: no file reaches itself through its imports (type-only ones included: they still say who owns
 * what), and no room of src/ imports a room that imports it back.
 */
import { describe, expect, it } from 'vitest';
import { arrowsBetween, cycles, importGraph, roomGraph, sourceFiles } from './import-graph.js';

const graph = importGraph(sourceFiles('src'));

/** Room cycles allowed by name (none: the view model is owned by src/search and only rendered by src/tui). */
const KNOWN_ROOM_CYCLES: string[][] = [];

describe('import arrows', () => {
  it('finds a cycle, type-only imports included (the checker itself)', () => {
    const toy = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts']],
    ]);
    expect(cycles(toy)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
    expect(graph.get('src/controllers/controller.ts')).toBeDefined();
    // oneshot-search.ts imports its checkpoint's functions and, type only, the loop's data.
    expect(graph.get('src/search/oneshot/oneshot-search.ts')).toContain('src/search/oneshot/loop-position.ts');
  });

  it('no file of src/ imports itself through other files', () => {
    expect(cycles(graph).map((c) => c.join(' <-> '))).toEqual([]);
  });

  it('no room of src/ imports a room that imports it back, but the known one', () => {
    const found = cycles(roomGraph(graph));
    const unknown = found.filter((c) => !KNOWN_ROOM_CYCLES.some((k) => k.join() === c.join()));
    expect(unknown.map((c) => `${c.join(' <-> ')}: ${arrowsBetween(graph, c).join(', ')}`)).toEqual([]);
  });
});
