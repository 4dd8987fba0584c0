/** Key hints while the search runs; once it has ended, the end lines (end-lines.ts): best config, next commands, resume. */
import { Box, Text } from 'ink';
import { endLines } from './end-lines.js';
import { truncate } from './format.js';
import { isEnded } from './layout.js';
import type { SearchView } from '../search/search-view.js';

export function Footer({ view, columns }: { view: SearchView; columns: number }) {
  if (isEnded(view)) {
    return (
      <Box flexDirection="column" marginTop={1}>
        {endLines(view, columns).map((l, i) => (
          <Text key={i} bold={l.kind === 'message'} color={l.kind === 'command' ? 'cyan' : undefined}>
            {l.text}
          </Text>
        ))}
      </Box>
    );
  }
  const stop = view.stopping
    ? 'stopping: running trials finish or are marked interrupted'
    : 'q stop (running trials finish or are marked interrupted)';
  const pause = view.paused ? 'p resume proposing' : 'p pause proposing';
  return (
    <Box marginTop={1}>
      <Text dimColor>{truncate(`${stop}   ${pause}`, columns)}</Text>
    </Box>
  );
}
