#!/usr/bin/env node
/** The `embnas` executable: builds the command-line program and renders whatever escapes it. */
// First: NO_COLOR must reach the environment before anything loads chalk (see no-color.ts).
import './no-color.js';
import { renderError } from './render-error.js';
import { installSignals } from './signals.js';

// Before anything slow loads: a signal in the first moments ends the process at once with 130 / 143 / 129 (signals.ts).
installSignals();

// React (the terminal UI) is several times cheaper per frame in production mode; set before React loads.
process.env.NODE_ENV ??= 'production';

try {
  const { createProgram } = await import('./program.js');
  await createProgram().parseAsync(process.argv);
} catch (error) {
  process.exitCode = renderError(error);
}
