"use strict";
var __spreadArray = (this && this.__spreadArray) || function (to, from, pack) {
    if (pack || arguments.length === 2) for (var i = 0, l = from.length, ar; i < l; i++) {
        if (ar || !(i in from)) {
            if (!ar) ar = Array.prototype.slice.call(from, 0, i);
            ar[i] = from[i];
        }
    }
    return to.concat(ar || Array.prototype.slice.call(from));
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.readmeSections = void 0;
exports.activationTable = activationTable;
exports.renderReadme = renderReadme;
// Markdown tables generated from the registry, for the README (scripts/update-readme.mjs writes
// them between markers; test/readme.test.ts fails when the README is stale).
var registry_js_1 = require("../registry.js");
function params(definition) {
    var entries = Object.entries(definition.params);
    var own = entries.map(function (_a) {
        var name = _a[0], spec = _a[1];
        return (spec.required ? "`".concat(name, "` (required)") : "`".concat(name, "` = ").concat(spec.default));
    });
    if (definition.kind === 'reduction')
        own.push('`shape`', '`dim` = -1');
    return own.length ? own.join(', ') : '—';
}
/** The table of activations: name, PyTorch twin, formula, parameters, accuracy bound. */
function activationTable() {
    var rows = registry_js_1.definitionList.map(function (d) {
        return "| `".concat(d.name, "` | `").concat(d.torch, "` | ").concat(d.formula, " | ").concat(params(d), " | ").concat(d.ulp === 0 ? 'exact' : "\u2264 ".concat(d.ulp, " ULP"), " | ").concat(d.ulpNote, " |");
    });
    return __spreadArray([
        '| function | PyTorch | formula | options | max error (every backend) | how |',
        '|---|---|---|---|---|---|'
    ], rows, true).join('\n');
}
/** Every generated README section, by marker name. */
exports.readmeSections = {
    activations: activationTable,
};
/** Replaces each `<!-- name:start -->…<!-- name:end -->` block of `readme` with its generated text. */
function renderReadme(readme) {
    var text = readme;
    for (var _i = 0, _a = Object.entries(exports.readmeSections); _i < _a.length; _i++) {
        var _b = _a[_i], name_1 = _b[0], generate = _b[1];
        var start = "<!-- ".concat(name_1, ":start -->");
        var end = "<!-- ".concat(name_1, ":end -->");
        var from = text.indexOf(start);
        var to = text.indexOf(end);
        if (from < 0 || to < from)
            throw new Error("README has no ".concat(start, " \u2026 ").concat(end, " block"));
        text = "".concat(text.slice(0, from + start.length), "\n").concat(generate(), "\n").concat(text.slice(to));
    }
    return text;
}
