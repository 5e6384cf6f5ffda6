"use strict";
var __assign = (this && this.__assign) || function () {
    __assign = Object.assign || function(t) {
        for (var s, i = 1, n = arguments.length; i < n; i++) {
            s = arguments[i];
            for (var p in s) if (Object.prototype.hasOwnProperty.call(s, p))
                t[p] = s[p];
        }
        return t;
    };
    return __assign.apply(this, arguments);
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.gitRevision = gitRevision;
exports.currentEnvironment = currentEnvironment;
exports.findCell = findCell;
exports.medianOf = medianOf;
// The shape of one benchmark run: every cell, the implementations, the method and the machine.
// The CLI writes it with --json; the report, the SVG chart and the README section read it.
var node_child_process_1 = require("node:child_process");
var node_os_1 = require("node:os");
/** `git describe --always --dirty` in `dir`, or undefined outside a checkout (an installed package). */
function gitRevision(dir) {
    var result = (0, node_child_process_1.spawnSync)('git', ['describe', '--always', '--dirty', '--abbrev=12'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return result.status === 0 ? result.stdout.trim() || undefined : undefined;
}
/** The machine this process runs on; `packageDir` is where to look for a git checkout. */
function currentEnvironment(versions, packageDir) {
    var _a, _b;
    var cpu = (0, node_os_1.cpus)();
    var revision = packageDir === undefined ? undefined : gitRevision(packageDir);
    return __assign({ cpu: ((_b = (_a = cpu[0]) === null || _a === void 0 ? void 0 : _a.model) === null || _b === void 0 ? void 0 : _b.trim()) || 'unknown CPU', cores: cpu.length, memoryGiB: Math.round((0, node_os_1.totalmem)() / Math.pow(2, 30)), platform: process.platform, arch: process.arch, osRelease: (0, node_os_1.release)(), node: process.version, v8: process.versions.v8, loadAverage: Math.round((0, node_os_1.loadavg)()[0] * 100) / 100, versions: versions }, (revision ? { revision: revision } : {}));
}
/** The cell of fn × size × impl in `unit`, if any. */
function findCell(cells, fn, size, impl, unit) {
    if (unit === void 0) { unit = 'ns/element'; }
    return cells.find(function (c) { return c.fn === fn && c.size === size && c.impl === impl && c.unit === unit; });
}
/** The median of a timed cell, or undefined (missing or wrong). */
function medianOf(cells, fn, size, impl, unit) {
    if (unit === void 0) { unit = 'ns/element'; }
    var cell = findCell(cells, fn, size, impl, unit);
    return cell && !cell.error ? cell.median : undefined;
}
