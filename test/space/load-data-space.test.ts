/** loadDataSpace: the loader of the data commands validates `data:` (and `model:`) only; the full loader is unchanged. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/data/load-dataset.js';
import { loadDataSpace, loadSpace } from '../../src/space/load-space.js';

const dir = mkdtempSync(path.join(tmpdir(), 'embnas-data-space-'));
function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('loadDataSpace', () => {
  it('accepts a file with only data:, fills the data and model defaults, while loadSpace still demands reward:', () => {
    const f = file('data-only.yaml', 'data:\n  format: synthetic\n');
    const loaded = loadDataSpace(f);
    expect(loaded.space.data.split).toEqual({ valid: 0.1, test: 0.1, seed: 0, by: 'random' });
    expect(loaded.space.model.optimizer).toBe('adam');
    expect(loaded.baseDir).toBe(dir);
    expect(() => loadSpace(f)).toThrow(/data-only\.yaml: reward: required key is missing/);
  });

  it('ignores the search sections but still checks data: and model: strictly, with file:line', () => {
    const ok = loadDataSpace(
      file(
        'full.yaml',
        'data:\n  format: synthetic\nfeatures: { dims: [1] }\nreward: { budgetMB: 1 }\nsearch: { trials: 3 }\n',
      ),
    );
    expect(ok.space.data.format).toBe('synthetic');
    expect(() => loadDataSpace(file('typo.yaml', 'data:\n  format: synthetic\n  minCont: 2\n'))).toThrow(
      /typo\.yaml:3: data\.minCont: unknown key "minCont"/,
    );
    expect(() => loadDataSpace(file('model.yaml', 'data:\n  format: synthetic\nmodel:\n  lr: -1\n'))).toThrow(
      /model\.yaml:4: model\.lr:/,
    );
    expect(() => loadDataSpace(file('none.yaml', 'name: x\n'))).toThrow(/none\.yaml: data: required key is missing/);
    expect(() => loadDataSpace(path.join(dir, 'absent.yaml'))).toThrow(/absent\.yaml: no such file/);
  });

  it("refuses the file readers' header and derive options under format synthetic", async () => {
    for (const key of ['header: false', 'derive: { t: [hour] }']) {
      const loaded = loadDataSpace(file('synthetic.yaml', `data:\n  format: synthetic\n  cache: false\n  ${key}\n`));
      await expect(loadDataset(loaded.space.data, loaded.baseDir)).rejects.toThrow(
        /format synthetic generates its rows and does not use it/,
      );
    }
  });
});
