// `npm run bench`: every benchmark in this folder, one after another, each printing its table.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const benches = readdirSync(import.meta.dirname)
  .filter((name) => name.endsWith('.bench.ts'))
  .sort();
for (const name of benches) {
  console.log(`\n## ${name}\n`);
  await import(pathToFileURL(join(import.meta.dirname, name)).href);
}
