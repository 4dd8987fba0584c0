/**
 * Builds the dense tower for the backend this thread initialised (backend.ts): the native addon's tower when the
 * backend is 'native', else the tfjs tower on whichever tfjs backend is active. Both implement `Tower`.
 */
import type { PRNG } from 'seedrandom';
import { activeBackend } from './backend.js';
import { nativeKernels } from './native-addon.js';
import { NativeTower } from './native-tower.js';
import { TfjsTower } from './tfjs-tower.js';
import type { Tower } from './tower-common.js';
import type { OptimizerName } from './trial-config.js';

export { towerParamCount, type Tower, type TowerGradients } from './tower-common.js';

export function createTower(
  inputWidth: number,
  hidden: readonly number[],
  optimizer: OptimizerName,
  lr: number,
  rng: PRNG,
): Tower {
  if (activeBackend() === 'native') return new NativeTower(inputWidth, hidden, optimizer, lr, rng, nativeKernels());
  return new TfjsTower(inputWidth, hidden, optimizer, lr, rng);
}
