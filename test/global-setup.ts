/**
 * The worker pool, the CLI and the end-to-end tests run the compiled dist/, not src/: after an edit without a rebuild
 * they would test the old code and could pass with the new one broken. `npm test` builds before vitest; this guard
 * covers `npx vitest run`, failing the run when any module of src/ has no dist/ counterpart at least as new. (Building
 * here instead would build twice under `npm test`.)
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** src/ modules whose dist/ .js is missing or older, as paths relative to the project root. */
export function staleModules(root: string): string[] {
  const stale: string[] = [];
  const walk = (rel: string): void => {
    for (const entry of readdirSync(path.join(root, 'src', rel), { withFileTypes: true })) {
      const child = path.join(rel, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
        const source = statSync(path.join(root, 'src', child)).mtimeMs;
        const built = statSync(path.join(root, 'dist', child.replace(/\.tsx?$/, '.js')), { throwIfNoEntry: false });
        if (built === undefined || built.mtimeMs < source) stale.push(path.join('src', child));
      }
    }
  };
  walk('');
  return stale.sort();
}

export default function checkBuild(): void {
  const stale = staleModules(process.cwd());
  if (stale.length === 0) return;
  const shown = stale.slice(0, 5).join(', ') + (stale.length > 5 ? ` and ${stale.length - 5} more` : '');
  throw new Error(
    `dist/ is older than src/ (${shown}): the tests that run the compiled code would test the old one. ` +
      'Build first: npx tsc -p tsconfig.json (npm test does).',
  );
}
