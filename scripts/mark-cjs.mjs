// The CommonJS build (tsc -p tsconfig.cjs.json into dist/cjs) keeps the `.js` extension, so a
// package.json with "type": "commonjs" beside it tells Node, bundlers and TypeScript that the
// .js and .d.ts files there are CommonJS, while the package root's "type": "module" keeps
// dist/src ESM. Run by `npm run build`.
import { mkdirSync, writeFileSync } from 'node:fs';

const dir = new URL('../dist/cjs/', import.meta.url);
mkdirSync(dir, { recursive: true });
writeFileSync(new URL('package.json', dir), `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);
