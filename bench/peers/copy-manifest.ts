// Part of `npm run build:ts`: copies the peers' package.json and package-lock.json next to the
// compiled adapters (dist/bench/peers/), so that an installed wasm-activations (which ships only
// dist/) can still install its peers on `wasm-activations bench --peers`.
import { copyFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url)); // dist/bench/peers
const source = resolve(here, '../../../bench/peers');
for (const file of ['package.json', 'package-lock.json']) copyFileSync(join(source, file), join(here, file));
