/** Key hints while the search runs; the end message and the exact resume command once it has ended. */
import { Box, Text } from 'ink';
import { truncate } from './format.js';
import { isEnded } from './layout.js';
import type { SearchView } from './search-view.js';

export function Footer({ view, columns }: { view: SearchView; columns: number }) {
  if (isEnded(view)) {
    return (
      <Box flexDirection="column" marginTop={1}>
        {view.endMessage !== undefined && <Text bold>{view.endMessage}</Text>}
        {view.resumeCommand !== undefined && (
          <>
            <Text>To continue this search, run:</Text>
            {/* Alone on its line so it can be copied as is. */}
            <Text color="cyan">{view.resumeCommand}</Text>
          </>
        )}
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
