#!/usr/bin/env node
"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
// The `wasm-activations` command (package.json "bin"): `wasm-activations bench [options]`, the
// same as `npm run bench -- [options]`. Commands are listed in ./commands/index.ts.
var index_js_1 = require("./commands/index.js");
process.exitCode = await (0, index_js_1.main)(process.argv.slice(2));
