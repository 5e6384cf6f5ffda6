"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
// Part of `npm run build:ts`: copies the peers' package.json and package-lock.json next to the
// compiled adapters (dist/bench/peers/), so that an installed wasm-activations (which ships only
// dist/) can still install its peers on `wasm-activations bench --peers`.
var node_fs_1 = require("node:fs");
var node_path_1 = require("node:path");
var node_url_1 = require("node:url");
var here = (0, node_path_1.dirname)((0, node_url_1.fileURLToPath)(import.meta.url)); // dist/bench/peers
var source = (0, node_path_1.resolve)(here, '../../../bench/peers');
for (var _i = 0, _a = ['package.json', 'package-lock.json']; _i < _a.length; _i++) {
    var file = _a[_i];
    (0, node_fs_1.copyFileSync)((0, node_path_1.join)(source, file), (0, node_path_1.join)(here, file));
}
