#!/usr/bin/env node
// The `wasm-activations` command (package.json "bin"): `wasm-activations bench [options]`, the
// same as `npm run bench -- [options]`. Commands are listed in ./commands/index.ts.
import { main } from './commands/index.js';

process.exitCode = await main(process.argv.slice(2));
