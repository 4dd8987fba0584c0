/**
 * Seeded random numbers whose state is plain JSON. Alea is used because its state is four numbers (arc4's is 256),
 * which keeps controller snapshots small; JSON round-trips doubles exactly, so a restored generator continues the
 * same sequence.
 */
import seedrandom from 'seedrandom';

export type RngState = seedrandom.State.Alea;

export class Rng {
  private prng: seedrandom.StatefulPRNG<RngState>;

  constructor(seedOrState: number | RngState) {
    this.prng =
      typeof seedOrState === 'number'
        ? seedrandom.alea(String(seedOrState), { state: true })
        : seedrandom.alea('', { state: { ...seedOrState } });
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.prng();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.min(n - 1, Math.floor(this.prng() * n));
  }

  state(): RngState {
    return { ...this.prng.state() };
  }
}

export function isRngState(x: unknown): x is RngState {
  if (typeof x !== 'object' || x === null) return false;
  const s = x as Record<string, unknown>;
  return ['c', 's0', 's1', 's2'].every((k) => typeof s[k] === 'number' && Number.isFinite(s[k]));
}
