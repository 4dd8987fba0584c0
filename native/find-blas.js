// Finds a CBLAS for binding.gyp at build time: `node find-blas.js cflags|libs`. pkg-config's openblas first (Debian's
// libopenblas-dev), then cblas.h in the usual include folders with -lopenblas. Nothing found: exit 1 with one line
// saying what to install, which fails this optional package's build and leaves embnas on its wasm tower.
'use strict';
const { execFileSync } = require('node:child_process');
const { existsSync } = require('node:fs');

function pkgConfig(args) {
  try {
    return execFileSync('pkg-config', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

function find() {
  const cflags = pkgConfig(['--cflags-only-I', 'openblas']);
  const libs = pkgConfig(['--libs', 'openblas']);
  if (cflags !== undefined && libs !== undefined) return { cflags, libs };
  const dirs = ['/usr/include/x86_64-linux-gnu', '/usr/include/aarch64-linux-gnu', '/usr/include/openblas', '/usr/include', '/usr/local/include', '/opt/homebrew/opt/openblas/include'];
  const dir = dirs.find((d) => existsSync(`${d}/cblas.h`));
  if (dir) return { cflags: `-I${dir}`, libs: '-lopenblas' };
  return undefined;
}

const what = process.argv[2];
const found = find();
if (!found) {
  process.stderr.write('embnas-native: no CBLAS found (cblas.h, libopenblas); install libopenblas-dev (Debian) to build the native tower\n');
  process.exit(1);
}
const flags = what === 'libs' ? found.libs : found.cflags.replace(/-I/g, '');
process.stdout.write(`${flags.split(/\s+/).filter(Boolean).join('\n')}\n`);
