/**
 * Where compiled modules live. Worker threads need a JavaScript file to load, also when the caller runs from the
 * TypeScript sources (tests): both src/ and dist/ sit one level under the package root, so dist/<rel> is found
 * from either.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function compiledModule(rel: string): string {
  return path.join(packageRoot, 'dist', rel);
}
