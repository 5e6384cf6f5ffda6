// `npm run bench:readme`: from the committed run docs/bench/results.json, rewrites README.md's
// benchmark results (between <!-- bench:start --> and <!-- bench:end -->) and redraws
// docs/bench/results.svg. Run from the repository root (npm run sets the working directory).
import { readFileSync, writeFileSync } from 'node:fs';
import { renderBenchReadme, RESULTS_JSON, RESULTS_SVG } from './readme.js';
import type { BenchResults } from './results.js';
import { chartFromResults, renderSvg } from './svg.js';

const results = JSON.parse(readFileSync(RESULTS_JSON, 'utf8')) as BenchResults;
const readme = readFileSync('README.md', 'utf8');
writeFileSync('README.md', renderBenchReadme(readme, results));
writeFileSync(RESULTS_SVG, renderSvg(chartFromResults(results)));
console.log(`README.md (benchmark results) and ${RESULTS_SVG} rewritten from ${RESULTS_JSON}`);
