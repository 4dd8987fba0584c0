// Writes search-spaces/schema.json from the zod schema of a search space (src/space/json-schema.ts, compiled to
// dist/ first by `npm run schema`); test/space/json-schema.test.ts fails while the committed file differs.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { spaceJsonSchemaText } from '../dist/space/json-schema.js';

const out = fileURLToPath(new URL('../search-spaces/schema.json', import.meta.url));
writeFileSync(out, spaceJsonSchemaText());
console.log(`wrote ${out}`);
