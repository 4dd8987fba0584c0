/** The search owns its view model and never reaches up into the UI: no module under src/search/ imports src/tui/. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(path.join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [path.join(dir, e.name)] : [],
  );
}

describe('import direction', () => {
  it('src/search imports nothing from src/tui', () => {
    const files = sources('src/search');
    expect(files.length).toBeGreaterThan(10);
    const upward = files.filter((f) => /from '(\.\.\/)+tui\//.test(readFileSync(f, 'utf8')));
    expect(upward).toEqual([]);
  });
});
