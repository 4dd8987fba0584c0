/**
 * When TPE's own pick (per decision, the drawn candidate with the best l(x)/g(x)) is a configuration already observed
 * or handed out, training it again would spend a trial on a reward the search knows. The next best thing by TPE's own
 * criterion is the untried combination of the values it drew with the highest sum of log l(x) − log g(x): decisions
 * are independent, so that sum is what TPE maximises per decision. This file finds it, best first over the product of
 * each decision's ranked candidates, without drawing anything (the controller's random stream is untouched).
 */

/** One distinct value drawn for a decision and its score, log l(x) − log g(x). */
export interface Candidate {
  value: number;
  score: number;
}

/** The distinct values among `drawn`, best score first; among equal scores the first drawn first (TPE's own pick). */
export function rankCandidates(drawn: readonly number[], score: (x: number) => number): Candidate[] {
  const out: Candidate[] = [];
  for (const value of drawn) if (!out.some((c) => c.value === value)) out.push({ value, score: score(value) });
  return out
    .map((c, i) => ({ c, i }))
    .sort((a, b) => b.c.score - a.c.score || a.i - b.i)
    .map(({ c }) => c);
}

interface Node {
  ranks: number[];
  /** The last coordinate raised: each rank vector is reached by one path only, raising coordinates in order. */
  last: number;
  score: number;
  /** Order of creation: the tie-break among equal scores, so the result is the same on every run. */
  seq: number;
}

/**
 * The values (one per decision) of the combination of ranked candidates with the highest total score for which
 * `taken` is false, examining at most `limit` combinations in decreasing score; null when none is found.
 */
export function bestUntaken(
  lists: readonly Candidate[][],
  taken: (values: number[]) => boolean,
  limit: number,
): number[] | null {
  let seq = 0;
  const node = (ranks: number[], last: number): Node => ({
    ranks,
    last,
    score: ranks.reduce((s, r, j) => s + lists[j][r].score, 0),
    seq: seq++,
  });
  const heap = new MaxHeap<Node>((a, b) => a.score - b.score || b.seq - a.seq);
  heap.push(
    node(
      lists.map(() => 0),
      0,
    ),
  );
  for (let examined = 0; examined < limit && heap.size > 0; examined++) {
    const top = heap.pop();
    const values = top.ranks.map((r, j) => lists[j][r].value);
    if (!taken(values)) return values;
    for (let j = top.last; j < lists.length; j++) {
      if (top.ranks[j] + 1 >= lists[j].length) continue;
      const ranks = [...top.ranks];
      ranks[j]++;
      heap.push(node(ranks, j));
    }
  }
  return null;
}

/** A binary heap, the greatest item (by `compare`) on top. */
class MaxHeap<T> {
  private readonly items: T[] = [];
  constructor(private readonly compare: (a: T, b: T) => number) {}

  get size(): number {
    return this.items.length;
  }

  push(item: T): void {
    const a = this.items;
    a.push(item);
    for (let i = a.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (this.compare(a[i], a[parent]) <= 0) break;
      [a[i], a[parent]] = [a[parent], a[i]];
      i = parent;
    }
  }

  pop(): T {
    const a = this.items;
    const top = a[0];
    const end = a.pop()!;
    if (a.length === 0) return top;
    a[0] = end;
    for (let i = 0; ;) {
      const [l, r] = [2 * i + 1, 2 * i + 2];
      let m = i;
      if (l < a.length && this.compare(a[l], a[m]) > 0) m = l;
      if (r < a.length && this.compare(a[r], a[m]) > 0) m = r;
      if (m === i) break;
      [a[i], a[m]] = [a[m], a[i]];
      i = m;
    }
    return top;
  }
}
