/** The report file: self-contained (nothing to fetch when opened), and carrying the data it plots. */
import { afterEach, describe, expect, it } from 'vitest';
import { collectReport } from '../../src/report/report-data.js';
import { renderReport } from '../../src/report/render-html.js';
import type { SqliteTrialStore } from '../../src/store/sqlite/sqlite-store.js';
import { reportStore } from './fixtures.js';

let store: SqliteTrialStore | undefined;
afterEach(() => store?.close());

async function report() {
  const r = reportStore();
  store = r.store;
  const data = await collectReport(r.store, 'rep', 0);
  return { data, html: renderReport(data) };
}

describe('renderReport', () => {
  it('fetches nothing: no src or href attribute, no stylesheet link, no CSS import or url()', async () => {
    const { html } = await report();
    expect(html).not.toMatch(/\s(src|href)\s*=/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/@import|url\(/i);
    expect(html).toMatch(/uPlot/); // the plotting library itself is inlined
  });

  it('embeds the report data as JSON the page draws from', async () => {
    const { data, html } = await report();
    const json = /<script id="report-data" type="application\/json">([\s\S]*?)<\/script>/.exec(html)?.[1];
    expect(JSON.parse(json!)).toEqual(data);
    for (const id of ['plot-reward', 'plot-pareto', 'plot-dims', 'plot-epochs']) expect(html).toContain(`id="${id}"`);
    expect(html).not.toContain('id="plot-proxy"'); // not a one-shot search
  });

  it('shows the objective, the best configuration and the policy as text', async () => {
    const { html } = await report();
    expect(html).toContain('reward = AUC − 0.1·max(0, memory/0.004 MB − 1)');
    expect(html).toMatch(/<td class="num">4<\/td><td class="num">0\.7400<\/td>/); // best trial 4, its AUC
    expect(html).toMatch(/<td>ctx<\/td><td class="num">—<\/td><td class="num">0 \(dropped\)<\/td>/);
    expect(html).toMatch(/reinforce controller after 5 observed trials/);
  });

  it('puts the planted dims of a synthetic dataset beside the best configuration', async () => {
    const r = reportStore();
    store = r.store;
    const truth = [
      { name: 'user', dim: 2 },
      { name: 'item', dim: 2 },
      { name: 'ctx', dim: 0 },
    ];
    await r.store.core.appendEvent(r.searchId, 'dataset', { fields: [], truth });
    const data = await collectReport(r.store, 'rep', 0);
    expect(data.plantedTruth).toEqual(truth);
    expect(renderReport(data)).toMatch(
      /<th class="num">planted dim<\/th>.*<td>user<\/td>(<td[^>]*>[^<]*<\/td>){4}<td class="num">2<\/td>/s,
    );
    expect((await report()).data.plantedTruth).toBeUndefined();
  });

  it('keeps text that looks like markup inert, in the tables and in the embedded JSON', async () => {
    const r = reportStore();
    store = r.store;
    const data = await collectReport(r.store, 'rep', 0);
    data.search.spacePath = 'x</script><img onerror=1>';
    const html = renderReport(data);
    expect(html).not.toContain('<img');
    expect(html.match(/<\/script>/g)).toHaveLength(3); // uPlot, the data, the drawing code
  });
});
