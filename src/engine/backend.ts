/**
 * Chooses and initialises the backend that runs the dense tower.
 *
 * Order for 'auto': the native addon (BLAS GEMMs, native-addon.ts; no tfjs backend involved), libtensorflow with
 * CUDA, libtensorflow on the CPU, wasm (SIMD), plain JavaScript. The native addon is built at install when a
 * compiler and a CBLAS are there, and loaded behind a guard like the tfjs-node packages. The two
 * tfjs-node packages are optional dependencies that download libtensorflow at install time, so on most machines they
 * are absent: they are loaded by a guarded dynamic import, never statically. The wasm backend needs no
 * `setWasmPaths` in Node: its Node build locates the .wasm files next to itself (`__dirname`), also inside worker
 * threads (each thread instantiates its own module). Note that tfjs-node is reported unreliable when loaded in
 * several worker threads of one process (tfjs issues 8388, 2079).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { UsageError } from '../errors.js';
import { backendLabel, loadNative, nativeUnavailable, useNativeSparse } from './native-addon.js';
import { BACKEND_NAMES, type BackendName } from './trial-config.js';

export type BackendChoice = 'auto' | BackendName;

export { BACKEND_NAMES };

/** Package that provides each backend, for messages. */
const PACKAGE_OF: Record<BackendName, string> = {
  native: 'embnas-native',
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs',
};

/** Which native package (if any) was loaded in this thread: both register under tfjs's name 'tensorflow'. */
let nativeLoaded: 'tensorflow-gpu' | 'tensorflow' | undefined;
let current: BackendName | undefined;
/** What 'auto' resolved to in this thread, so later trials skip the probing. */
let autoChosen: BackendName | undefined;

async function tryImport(pkg: string): Promise<boolean> {
  try {
    // A variable specifier keeps TypeScript and bundlers from resolving the optional package at build time.
    const specifier: string = pkg;
    await import(specifier);
    return true;
  } catch {
    return false;
  }
}

async function tryBackend(name: BackendName): Promise<boolean> {
  if (name === 'native') {
    if (!loadNative().ok) return false;
    // The native tower uses no tfjs backend, but callers may still touch tfjs (tf.memory()): give it the plain one.
    return tf.engine().backendName ? true : activate('cpu');
  }
  if (name === 'tensorflow-gpu' || name === 'tensorflow') {
    // Both packages register the same tfjs backend name; only one of them can live in a process.
    if (nativeLoaded && nativeLoaded !== name) return false;
    if (!nativeLoaded) {
      if (!(await tryImport(PACKAGE_OF[name]))) return false;
      nativeLoaded = name;
    }
    return activate('tensorflow');
  }
  return activate(name);
}

async function activate(tfName: string): Promise<boolean> {
  try {
    if (tf.getBackend() === tfName) return true;
    const ok = await tf.setBackend(tfName);
    await tf.ready();
    return ok && tf.getBackend() === tfName;
  } catch {
    return false;
  }
}

/**
 * Makes `choice` the active tfjs backend of this thread (or the best one that loads, for 'auto') and returns its name.
 * A backend asked for explicitly that cannot load is the user's problem: UsageError naming the package to install.
 */
export async function initBackend(choice: BackendChoice = 'auto'): Promise<BackendName> {
  // Production mode silences tfjs's console advice ("install tfjs-node") and skips debug-only checks.
  tf.enableProdMode();
  if (choice !== 'auto' && !BACKEND_NAMES.includes(choice)) {
    throw new UsageError(`unknown engine backend '${String(choice)}'`, `use one of auto, ${BACKEND_NAMES.join(', ')}`);
  }
  const wanted = choice === 'auto' ? autoChosen : choice;
  if (wanted && current === wanted && tfActiveMatches(wanted)) return wanted;
  const candidates = choice === 'auto' ? BACKEND_NAMES : [choice];
  for (const name of candidates) {
    if (await tryBackend(name)) {
      current = name;
      useNativeSparse(name === 'native');
      if (choice === 'auto') autoChosen = name;
      return name;
    }
  }
  if (choice === 'auto') throw new Error('no tfjs backend could be initialised (not even cpu)');
  if (choice === 'native') throw nativeUnavailable() ?? new Error('the native addon loaded but could not be activated');
  throw new UsageError(
    `engine backend '${choice}' is not available in this installation`,
    `install ${PACKAGE_OF[choice]} or use backend 'auto'`,
  );
}

function tfActiveMatches(name: BackendName): boolean {
  if (name === 'native') return true;
  const tfName = name === 'tensorflow-gpu' ? 'tensorflow' : name;
  return tf.getBackend() === tfName;
}

/** The backend this thread is using, if initialised. */
export function activeBackend(): BackendName | undefined {
  return current;
}

/** The backend with what it runs on, for reports: 'native (OpenBLAS 0.3.21 DYNAMIC_ARCH … Haswell …, 1 BLAS thread)', 'wasm', …. */
export function describeBackend(name: BackendName): string {
  return name === 'native' ? backendLabel(name, true) : name;
}
