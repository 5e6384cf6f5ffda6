"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
// A worker of the accuracy sweep: its own Activations instance (own wasm memory), fed ranges of
// bit patterns by the main thread, answering with the statistics of each.
var node_worker_threads_1 = require("node:worker_threads");
var registry_js_1 = require("../../src/registry.js");
var sweep_js_1 = require("./sweep.js");
var _a = node_worker_threads_1.workerData, fn = _a.fn, backend = _a.backend, direction = _a.direction;
var sweeper = new sweep_js_1.Sweeper(registry_js_1.definitions[fn], backend, direction);
node_worker_threads_1.parentPort.on('message', function (job) {
    var stats = job.kind === 'range' ? sweeper.range(job.start, job.count) : sweeper.sample(job.perStratum, job.seed, job.strata);
    node_worker_threads_1.parentPort.postMessage(stats);
});
