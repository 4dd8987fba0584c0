/**
 * NO_COLOR (any non-empty value) and FORCE_COLOR=0: no colour escapes anywhere. The plain commands are run as a user
 * would; the terminal UI's frame is rendered in a fresh Node process (chalk decides its colour level once, when it
 * loads) after the executable's own NO_COLOR handling, with FORCE_COLOR=1 so that colour would otherwise be on.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { honourNoColor } from '../../src/cli/no-color.js';
import { embnas } from '../e2e/cli.js';
import { midSearchView } from '../tui/fixtures.js';

const ESCAPE = /\u001b\[/;
/** SGR: colour and text attributes (cursor movement is not colour). */
const SGR = /\u001b\[[0-9;]*m/;

/** argv[1]: the SearchView as JSON. Prints the rendered frame as JSON. */
const RENDER_FRAME = `
const url = (p) => ${JSON.stringify(pathToFileURL(path.resolve('dist')).href)} + p;
await import(url('/cli/no-color.js'));
const React = (await import('react')).default;
const { render } = await import('ink-testing-library');
const { SearchApp } = await import(url('/tui/search-app.js'));
const view = JSON.parse(process.argv[1]);
const { lastFrame, unmount } = render(React.createElement(SearchApp, { view, columns: 120, rows: 40 }));
process.stdout.write(JSON.stringify(lastFrame()));
unmount();
`;

function tuiFrame(env: Record<string, string | undefined>): string {
  const childEnv = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, ...env };
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', RENDER_FRAME, JSON.stringify(midSearchView())], {
    encoding: 'utf8',
    env: childEnv,
    timeout: 60_000,
  });
  if (r.status !== 0) throw new Error(`render failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as string;
}

describe('NO_COLOR', () => {
  it('turns chalk off through FORCE_COLOR=0 when set and not empty', () => {
    const env = (e: NodeJS.ProcessEnv) => (honourNoColor(e), e.FORCE_COLOR);
    expect(env({ NO_COLOR: '1', FORCE_COLOR: '3' })).toBe('0');
    expect(env({ NO_COLOR: 'yes' })).toBe('0');
    expect(env({ NO_COLOR: '', FORCE_COLOR: '1' })).toBe('1');
    expect(env({})).toBeUndefined();
  });

  it('the terminal UI draws no colour with NO_COLOR or FORCE_COLOR=0, and colour otherwise', () => {
    expect(tuiFrame({ FORCE_COLOR: '1' })).toMatch(SGR); // the control: this frame is coloured
    const plain = tuiFrame({ FORCE_COLOR: '1', NO_COLOR: '1' });
    expect(plain).not.toMatch(ESCAPE);
    expect(plain).toContain('best reward 0.7900');
    expect(tuiFrame({ FORCE_COLOR: '0' })).not.toMatch(ESCAPE);
  }, 60_000);

  it('plain commands print no escapes: help, list, an error line', () => {
    const env = { NO_COLOR: '1', FORCE_COLOR: '1' };
    for (const args of [
      ['--help'],
      ['export', '--help'],
      ['list', '--db', path.join('test', 'fixtures', 'none.db')],
      ['frob'],
    ]) {
      const r = embnas(args, env);
      expect(`${r.stdout}${r.stderr}`, args.join(' ')).not.toMatch(ESCAPE);
      expect(`${r.stdout}${r.stderr}`.length, args.join(' ')).toBeGreaterThan(0);
    }
  }, 60_000);
});
