/**
 * The search-space schema as JSON Schema (draft 7, what editors' YAML plug-ins read), generated from the zod schema
 * so the two cannot drift: `npm run schema` writes it to search-spaces/schema.json, which every shipped space names
 * in its first line (`# yaml-language-server: $schema=./schema.json`) for completion and checks while typing. What
 * JSON Schema cannot say (e.g. block fractions summing to 1) is still checked by embnas when the space loads.
 */
import { z } from 'zod';
import { SpaceSchema } from './schema.js';

/** Input side: keys with defaults are optional, as a user writes them. */
export function spaceJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(SpaceSchema, { io: 'input', target: 'draft-7', unrepresentable: 'throw' }),
    title: 'embnas search space',
    description:
      'A search-space file of embnas: what to search per feature, on which data, with which model, rewarded how.',
  };
}

/** The file's text: 2-space JSON and a final newline. */
export function spaceJsonSchemaText(): string {
  return `${JSON.stringify(spaceJsonSchema(), null, 2)}\n`;
}
