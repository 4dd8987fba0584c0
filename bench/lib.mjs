// What the scripts under bench/ share: their flags, the build they import, loading a dataset by space name, and
// reading back the runs an experiment printed.
import { existsSync, readFileSync } from 'node:fs';

/** The value after `--name` on the command line, or `dflt`. */
export function arg(name, dflt) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
}

/** A module of the build (dist/), imported; exits with the command to run when there is no build. */
export async function fromDist(modulePath) {
  const url = new URL(`../dist/${modulePath}`, import.meta.url);
  if (!existsSync(url)) {
    console.error('dist/ is missing: run `npm run build` first');
    process.exit(1);
  }
  return import(url.href);
}

/**
 * The space search-spaces/<name>.yaml (or the .yaml file named) and its dataset, or undefined (with a message) when the data is absent: the
 * experiments skip a dataset a user's clone does not have rather than fail.
 */
export async function loadNamedSpace(name) {
  const { loadDataset } = await fromDist('data/load-dataset.js');
  const { loadSpace } = await fromDist('space/load-space.js');
  const { isUsageError } = await fromDist('errors.js');
  const loaded = loadSpace(name.endsWith('.yaml') ? name : `search-spaces/${name}.yaml`);
  try {
    const { dataset } = await loadDataset(loaded.space.data, loaded.baseDir);
    return { space: loaded.space, dataset };
  } catch (e) {
    if (!isUsageError(e)) throw e;
    console.error(`skipping ${name}: ${e.toLine()}`);
    return undefined;
  }
}

/** The runs an experiment printed earlier, one JSON object per line (its `--from` file), to rewrite its page. */
export function readRuns(file) {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l));
}
