/**
 * The registry of embedding techniques: every descriptor, in the order their keys, decisions, key parts, notation and
 * CSV columns appear (which existing proposal keys, controller snapshots and exports depend on: append, never
 * reorder). The last registered technique a field turns on is the one that makes its rows (index.ts, techniqueFor).
 * A new technique is one file here and its line below, plus its engine half (engine/technique-engines.ts).
 */
import { mlet } from './mlet.js';
import { multiSize } from './multi-size.js';
import { plain } from './plain.js';
import { res } from './res.js';

export const TECHNIQUES = [plain, mlet, res, multiSize] as const;
