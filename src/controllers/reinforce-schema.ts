/**
 * The space's `search.reinforce` key, checked by zod when the space loads; what each option does and why its default:
 * reinforce-options.ts (which fills the defaults and checks the ranges again for callers that skip the space).
 */
import { z } from 'zod';

export const ReinforceSchema = z.strictObject({
  lr: z.number().positive().optional(),
  epochs: z.number().int().min(1).optional(),
  clip: z.number().positive().optional(),
  elite: z.number().positive().max(1).optional(),
  entropyWeight: z.number().min(0).optional(),
  entropyHalfLife: z.number().positive().optional(),
  warmup: z.number().int().min(0).optional(),
  history: z.number().int().min(1).optional(),
  redraws: z.number().int().min(0).optional(),
  winMargin: z.number().min(0).optional(),
  incumbentEvery: z.number().int().min(0).optional(),
  modelEvery: z.number().int().min(0).optional(),
});
