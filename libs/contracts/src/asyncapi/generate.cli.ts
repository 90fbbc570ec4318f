import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

import { generateAsyncApi, generateJsonSchemaFiles } from './asyncapi.generator';

// Writes the checked-in artefacts that specs compare against the code: docs/asyncapi.yaml and one JSON Schema
// file per event type. Run with `npm run asyncapi` after changing the catalog or a schema.
const root = resolve(__dirname, '../../../..');
const asyncApiPath = join(root, 'docs/asyncapi.yaml');
const schemasDir = join(root, 'libs/contracts/schemas');

mkdirSync(join(root, 'docs'), { recursive: true });
writeFileSync(asyncApiPath, generateAsyncApi());

mkdirSync(schemasDir, { recursive: true });
const files = generateJsonSchemaFiles();
// A schema removed from the code must not linger as a published file.
for (const stale of readdirSync(schemasDir).filter((name) => name.endsWith('.json') && !files.has(name))) {
  rmSync(join(schemasDir, stale));
}
for (const [name, content] of files) writeFileSync(join(schemasDir, name), content);

console.log(
  `wrote ${relative(root, asyncApiPath)} and ${files.size} schemas in ${relative(root, schemasDir)}`,
);
