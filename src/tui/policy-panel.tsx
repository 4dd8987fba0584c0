/** The controller's current policy: per field the most likely dim and norm budget, with their probabilities. */
import { Box, Text } from 'ink';
import { bar } from './bars.js';
import { formatNormAlpha, truncate } from './format.js';
import { POLICY_CELL_GAP, POLICY_CELL_WIDTH } from './layout.js';
import type { PolicyFieldView, SearchView } from './search-view.js';

const NAME_WIDTH = 10;
const BAR_WIDTH = 6;

function percent(p: number): string {
  return `${Math.round(Math.min(1, Math.max(0, p)) * 100)}%`.padStart(4);
}

/** One field in POLICY_CELL_WIDTH characters: "user        16 ████▌░  72%  α   1e-3 ██░░░░  35%". */
export function policyCell(f: PolicyFieldView): string {
  const name = truncate(f.field, NAME_WIDTH).padEnd(NAME_WIDTH);
  const dim = `${String(f.dim).padStart(4)} ${bar(f.dimProb, BAR_WIDTH)} ${percent(f.dimProb)}`;
  const norm = `α ${formatNormAlpha(f.normBudget).padStart(6)} ${bar(f.normProb, BAR_WIDTH)} ${percent(f.normProb)}`;
  return `${name}${dim}  ${norm}`.padEnd(POLICY_CELL_WIDTH);
}

export function PolicyPanel(props: { view: SearchView; columns: number; cellsPerLine: number }) {
  const { view, columns, cellsPerLine } = props;
  const lines: string[] = [];
  for (let i = 0; i < view.policy.length; i += cellsPerLine) {
    lines.push(
      view.policy
        .slice(i, i + cellsPerLine)
        .map(policyCell)
        .join(' '.repeat(POLICY_CELL_GAP))
        .trimEnd()
        .slice(0, columns),
    );
  }
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text bold>{truncate('Policy (most likely dim and norm budget per field)', columns)}</Text>
      {/* One Text for the block: far cheaper for ink than a node per line. Lines are pre-cut to the width. */}
      <Text>{lines.join('\n')}</Text>
    </Box>
  );
}
