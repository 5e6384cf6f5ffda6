"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
// `npm run bench:readme`: from the committed run docs/bench/results.json, rewrites README.md's
// benchmark results (between <!-- bench:start --> and <!-- bench:end -->) and redraws
// docs/bench/results.svg. Run from the repository root (npm run sets the working directory).
var node_fs_1 = require("node:fs");
var readme_js_1 = require("./readme.js");
var svg_js_1 = require("./svg.js");
var results = JSON.parse((0, node_fs_1.readFileSync)(readme_js_1.RESULTS_JSON, 'utf8'));
var readme = (0, node_fs_1.readFileSync)('README.md', 'utf8');
(0, node_fs_1.writeFileSync)('README.md', (0, readme_js_1.renderBenchReadme)(readme, results));
(0, node_fs_1.writeFileSync)(readme_js_1.RESULTS_SVG, (0, svg_js_1.renderSvg)((0, svg_js_1.chartFromResults)(results)));
console.log("README.md (benchmark results) and ".concat(readme_js_1.RESULTS_SVG, " rewritten from ").concat(readme_js_1.RESULTS_JSON));
