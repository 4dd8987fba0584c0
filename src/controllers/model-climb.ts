/**
 * The local search behind a model proposal (reinforce-model.ts): from each start, move one decision at a time to its
 * best candidate until none improves the score. Every configuration it scores is offered to `consider`, so the caller
 * can keep the best one it may propose (not tried before, not hopeless) even when a local optimum itself was tried.
 */
export interface Climb {
  sizes: readonly number[];
  score: (picks: number[]) => number;
  consider: (picks: number[], score: number) => void;
}

const MAX_SWEEPS = 20;

export function climb(c: Climb, starts: readonly (readonly number[])[]): void {
  for (const start of starts) {
    const picks = [...start];
    let current = c.score(picks);
    for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
      let moved = false;
      for (let j = 0; j < c.sizes.length; j++) {
        const was = picks[j];
        let pick = was;
        for (let k = 0; k < c.sizes[j]; k++) {
          if (k === was) continue;
          picks[j] = k;
          const s = c.score(picks);
          c.consider(picks, s);
          if (s > current + 1e-12) {
            current = s;
            pick = k;
          }
        }
        picks[j] = pick;
        if (pick !== was) moved = true;
      }
      if (!moved) break;
    }
    c.consider(picks, current);
  }
}
