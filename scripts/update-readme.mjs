// Rewrites the generated tables of README.md from the registry (run after `npm run build`).
import { readFileSync, writeFileSync } from 'node:fs';
import { renderReadme } from '../dist/src/docs/tables.js';

const path = new URL('../README.md', import.meta.url);
writeFileSync(path, renderReadme(readFileSync(path, 'utf8')));
