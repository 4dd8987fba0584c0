/**
 * The controller's current policy: per field the most likely dim and norm budget with their probabilities, and in the
 * title how settled the whole policy is. A decision whose candidates are all equally likely has no leader and says
 * "tie"; a policy with nothing but ties is a warm-up (uniform samples), said so rather than shown as "dim 0".
 */
import { Box, Text } from 'ink';
import { bar } from './bars.js';
import { formatNormAlpha, truncate } from './format.js';
import { POLICY_CELL_GAP, POLICY_CELL_WIDTH, POLICY_COMPACT_CELL_WIDTH, policyCompact } from './layout.js';
import type { PolicyFieldView, SearchView } from '../search/search-view.js';

const NAME_WIDTH = 10;
const BAR_WIDTH = 6;

function percent(p: number): string {
  return `${Math.round(Math.min(1, Math.max(0, p)) * 100)}%`.padStart(4);
}

/** One field in POLICY_CELL_WIDTH characters: "user        16 ████▌░  72%  α   1e-3 ██░░░░  35%"; "tie" for no leader. */
export function policyCell(f: PolicyFieldView): string {
  const name = truncate(f.field, NAME_WIDTH).padEnd(NAME_WIDTH);
  const dim = `${(f.dimTied ? 'tie' : String(f.dim)).padStart(4)} ${bar(f.dimProb, BAR_WIDTH)} ${percent(f.dimProb)}`;
  const alpha = f.normTied ? 'tie' : formatNormAlpha(f.normBudget);
  const norm = `α ${alpha.padStart(6)} ${bar(f.normProb, BAR_WIDTH)} ${percent(f.normProb)}`;
  return `${name}${dim}  ${norm}`.padEnd(POLICY_CELL_WIDTH);
}

/** One field in POLICY_COMPACT_CELL_WIDTH characters, without bars: "user        16  72%  α   1e-3  35%". */
export function policyCellCompact(f: PolicyFieldView): string {
  const name = truncate(f.field, NAME_WIDTH).padEnd(NAME_WIDTH);
  const alpha = f.normTied ? 'tie' : formatNormAlpha(f.normBudget);
  return `${name}${(f.dimTied ? 'tie' : String(f.dim)).padStart(4)} ${percent(f.dimProb)}  α ${alpha.padStart(6)} ${percent(f.normProb)}`.padEnd(
    POLICY_COMPACT_CELL_WIDTH,
  );
}

/** The panel's title: a warm-up as such, else how settled the policy is; abbreviated to fit. */
export function policyTitle(view: Pick<SearchView, 'policy' | 'policySettled'>, columns: number): string {
  const warmup = view.policy.length > 0 && view.policy.every((f) => f.dimTied && f.normTied);
  const settled = view.policySettled === undefined ? '' : `, ${percent(view.policySettled).trim()} settled`;
  const long = warmup
    ? 'Policy: warm-up, sampling uniformly (nothing learnt yet)'
    : `Policy: most likely dim and α per field${settled}`;
  const short = warmup ? 'Policy: warm-up (uniform)' : `Policy${settled}`;
  return truncate(long.length <= columns ? long : short, columns);
}

export function PolicyPanel(props: { view: SearchView; columns: number; cellsPerLine: number }) {
  const { view, columns, cellsPerLine } = props;
  const lines: string[] = [];
  for (let i = 0; i < view.policy.length; i += cellsPerLine) {
    lines.push(
      view.policy
        .slice(i, i + cellsPerLine)
        .map(policyCompact(columns) ? policyCellCompact : policyCell)
        .join(' '.repeat(POLICY_CELL_GAP))
        .trimEnd()
        .slice(0, columns),
    );
  }
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text bold>{policyTitle(view, columns)}</Text>
      {/* One Text for the block: far cheaper for ink than a node per line. Lines are pre-cut to the width. */}
      <Text>{lines.join('\n')}</Text>
    </Box>
  );
}
