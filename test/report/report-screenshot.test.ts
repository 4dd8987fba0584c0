/**
 * The report as a browser shows it: `embnas report` on a small search (test/report/fixtures.ts, with the event a
 * one-shot search's supernet phase leaves, so every plot is on the page), opened in headless Chromium (Debian's
 * `chromium`), screenshotted, and every plot area checked for drawn data, not just axes and grid lines. Skipped with
 * a message where Chromium is not installed (a failure under EMBNAS_REQUIRE_ALL=1).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embnas } from '../e2e/cli.js';
import { commandRuns, requireOrSkip } from '../require.js';
import { ONESHOT_FINISHED } from '../../src/search/oneshot/oneshot-summary.js';
import { openSqliteStore } from '../../src/store/index.js';
import { reportStore, SPACE_TEXT } from './fixtures.js';
import { decodePng, type Image } from './png.js';

const CHROMIUM = 'chromium';
const WIDTH = 1000;
const present = requireOrSkip(
  commandRuns(CHROMIUM, '--version'),
  'Debian chromium (headless screenshots of the HTML report)',
  'apt-get install chromium',
);

interface Box {
  id: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

function chromium(dir: string, args: string[]): string {
  const profile = mkdtempSync(path.join(dir, 'profile-'));
  const r = spawnSync(
    CHROMIUM,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--hide-scrollbars',
      '--force-device-scale-factor=1',
      `--user-data-dir=${profile}`,
      ...args,
    ],
    {
      encoding: 'utf8',
      timeout: 120_000,
    },
  );
  if (r.status !== 0) throw new Error(`chromium exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** Where each plot's drawing area (uPlot's .u-over) lies on the page, and the page's height, read from the live DOM. */
function plotBoxes(dir: string, html: string): { boxes: Box[]; height: number } {
  const probe = path.join(dir, 'probe.html');
  const script = `<script>{ const pre = document.createElement('pre'); pre.id = 'probe-out';
    pre.textContent = JSON.stringify({ height: document.documentElement.scrollHeight,
      boxes: [...document.querySelectorAll('.plot')].map((p) => { const o = p.querySelector('.u-over'); const r = o ? o.getBoundingClientRect() : { x: 0, y: 0, width: 0, height: 0 };
        return { id: p.id, x: Math.round(r.x + scrollX), y: Math.round(r.y + scrollY), w: Math.round(r.width), h: Math.round(r.height) }; }) });
    document.body.appendChild(pre); }</script>`;
  writeFileSync(probe, html.replace('</body>', `${script}</body>`));
  const dom = chromium(dir, [`--window-size=${WIDTH},900`, '--dump-dom', `file://${probe}`]);
  const json = /<pre id="probe-out">([\s\S]*?)<\/pre>/.exec(dom)?.[1];
  if (!json) throw new Error('the probe found no boxes');
  return JSON.parse(json.replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
}

/** Pixels of a saturated colour (the series' colours; axes, text and grid lines are grey) inside the box. */
function coloured(
  img: Image,
  b: Box,
  match: (r: number, g: number, bl: number) => boolean = (r, g, bl) => Math.max(r, g, bl) - Math.min(r, g, bl) > 60,
): number {
  let n = 0;
  for (let y = b.y; y < b.y + b.h; y++)
    for (let x = b.x; x < b.x + b.w; x++) {
      const [r, g, bl] = img.pixel(x, y);
      if (match(r, g, bl)) n++;
    }
  return n;
}

const blue = (r: number, g: number, b: number) => b > 130 && b - r > 60 && b - g > 20; // #1f77b4, the trials' points

describe.runIf(present)('embnas report in headless Chromium', () => {
  let dir: string;
  let shot: { boxes: Box[]; img: Image };

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'embnas-report-'));
    const db = path.join(dir, 'trials.db');
    const { store, searchId } = reportStore(db);
    const curve = Array.from({ length: 40 }, (_, round) => ({
      round,
      step: 20 + 5 * round,
      mean: 0.5 + round / 200,
      max: 0.6 + round / 150,
    }));
    store.core.appendEvent(searchId, ONESHOT_FINISHED, { steps: 220, seconds: 9, ranked: [], curve });
    store.core.close();
    const out = path.join(dir, 'rep.html');
    const r = embnas(['report', 'rep', '--db', db, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const { boxes, height } = plotBoxes(dir, readFileSync(out, 'utf8'));
    const png = path.join(dir, 'rep.png');
    chromium(dir, [`--window-size=${WIDTH},${height}`, `--screenshot=${png}`, `file://${out}`]);
    shot = { boxes, img: decodePng(readFileSync(png)) };
  }, 120_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('says what is missing for a search with no finished trial, and draws the rest', () => {
    const db = path.join(dir, 'empty.db');
    const store = openSqliteStore(db);
    store.core.createSearch({
      name: 'empty',
      spacePath: 's.yaml',
      spaceText: SPACE_TEXT,
      spaceHash: 'h',
      seed: 1,
      trialsBudget: 4,
    });
    store.core.close();
    const out = path.join(dir, 'empty.html');
    expect(embnas(['report', 'empty', '--db', db, '--out', out]).code).toBe(0);
    const dom = chromium(dir, [`--window-size=${WIDTH},900`, '--dump-dom', `file://${out}`]);
    expect(dom.match(/Nothing to plot yet: no trial has finished\.<\/div>/g)).toHaveLength(4);
    expect(dom).not.toMatch(/id="plot-[a-z]+">This plot could not be drawn/);
  });

  it('draws every plot with data in it', () => {
    const { boxes, img } = shot;
    expect(boxes.map((b) => b.id)).toEqual(['plot-reward', 'plot-pareto', 'plot-dims', 'plot-epochs', 'plot-proxy']);
    for (const b of boxes) {
      expect(b.w * b.h, `${b.id} has a drawing area`).toBeGreaterThan(100 * 100);
      expect(b.y + b.h, `${b.id} is inside the screenshot`).toBeLessThanOrEqual(img.height);
      expect(coloured(img, b), `${b.id}: coloured pixels`).toBeGreaterThan(100); // a plot without data has none
    }
    // The AUC × memory plot has its budget line (green) whatever the data: its trials must be there too (blue).
    expect(coloured(img, boxes[1], blue), 'plot-pareto: trial points').toBeGreaterThan(4 * 15);
    // The proxy curve: three lines across the whole plot.
    expect(coloured(img, boxes[4]), 'plot-proxy: coloured pixels').toBeGreaterThan(500);
  });
});
