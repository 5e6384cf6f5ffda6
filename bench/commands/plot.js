"use strict";
var __awaiter = (this && this.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};
var __generator = (this && this.__generator) || function (thisArg, body) {
    var _ = { label: 0, sent: function() { if (t[0] & 1) throw t[1]; return t[1]; }, trys: [], ops: [] }, f, y, t, g = Object.create((typeof Iterator === "function" ? Iterator : Object).prototype);
    return g.next = verb(0), g["throw"] = verb(1), g["return"] = verb(2), typeof Symbol === "function" && (g[Symbol.iterator] = function() { return this; }), g;
    function verb(n) { return function (v) { return step([n, v]); }; }
    function step(op) {
        if (f) throw new TypeError("Generator is already executing.");
        while (g && (g = 0, op[0] && (_ = 0)), _) try {
            if (f = 1, y && (t = op[0] & 2 ? y["return"] : op[0] ? y["throw"] || ((t = y["return"]) && t.call(y), 0) : y.next) && !(t = t.call(y, op[1])).done) return t;
            if (y = 0, t) op = [op[0] & 2, t.value];
            switch (op[0]) {
                case 0: case 1: t = op; break;
                case 4: _.label++; return { value: op[1], done: false };
                case 5: _.label++; y = op[1]; op = [0]; continue;
                case 7: op = _.ops.pop(); _.trys.pop(); continue;
                default:
                    if (!(t = _.trys, t = t.length > 0 && t[t.length - 1]) && (op[0] === 6 || op[0] === 2)) { _ = 0; continue; }
                    if (op[0] === 3 && (!t || (op[1] > t[0] && op[1] < t[3]))) { _.label = op[1]; break; }
                    if (op[0] === 6 && _.label < t[1]) { _.label = t[1]; t = op; break; }
                    if (t && _.label < t[2]) { _.label = t[2]; _.ops.push(op); break; }
                    if (t[2]) _.ops.pop();
                    _.trys.pop(); continue;
            }
            op = body.call(thisArg, _);
        } catch (e) { op = [6, e]; y = 0; } finally { f = t = 0; }
        if (op[0] & 5) throw op[1]; return { value: op[0] ? op[1] : void 0, done: true };
    }
};
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
exports.PLOT_HELP = void 0;
exports.plotCommand = plotCommand;
// `wasm-activations plot`: one SVG per activation (the function and its derivative over its
// plotDomain, computed by the kernels) into a directory, and the README's gallery of them.
var node_fs_1 = require("node:fs");
var node_path_1 = require("node:path");
var node_util_1 = require("node:util");
var instance_js_1 = require("../../src/instance.js");
var registry_js_1 = require("../../src/registry.js");
var plot_js_1 = require("../plot.js");
var bench_js_1 = require("./bench.js");
var BACKENDS = ['wasm-simd', 'wasm-scalar', 'js'];
/** The command's help text. */
exports.PLOT_HELP = "Usage: wasm-activations plot [options]   (npm run plot -- [options])\n\nWrites one SVG per activation: the function and its derivative (the backward pass with dy = 1)\nover its plot domain, computed by the package's kernels, with axes, ticks and labels; softmax is\ndrawn along one logit, softmax([x, 0])\u2080. With the default --out, also rewrites the README's\ngallery of plots (README.md beside docs/).\n\nOptions:\n  --fn NAME        only this function (repeatable); default: every one (".concat(registry_js_1.definitionList.map(function (d) { return d.name; }).join(', '), ")\n  --out DIR        where to write NAME.svg (default docs/plots)\n  --backend NAME   the backend computing the curves (default wasm-simd; ").concat(BACKENDS.join(', '), ")\n  -h, --help       this text");
/** Runs `plot` on its arguments. */
function plotCommand(argv) {
    return __awaiter(this, void 0, void 0, function () {
        var values, names, _i, names_1, name_1, backend, out, acts, _a, names_2, name_2, file, readme, updated;
        var _b, _c, _d;
        return __generator(this, function (_e) {
            try {
                (values = (0, node_util_1.parseArgs)({
                    args: __spreadArray([], argv, true),
                    options: {
                        fn: { type: 'string', multiple: true },
                        out: { type: 'string' },
                        backend: { type: 'string' },
                        help: { type: 'boolean', short: 'h' },
                    },
                    strict: true,
                }).values);
            }
            catch (error) {
                throw new bench_js_1.UsageError(error.message);
            }
            if (values.help) {
                console.log(exports.PLOT_HELP);
                return [2 /*return*/];
            }
            names = (_b = values.fn) !== null && _b !== void 0 ? _b : registry_js_1.definitionList.map(function (d) { return d.name; });
            for (_i = 0, names_1 = names; _i < names_1.length; _i++) {
                name_1 = names_1[_i];
                if (!(name_1 in registry_js_1.definitions))
                    throw new bench_js_1.UsageError("unknown function '".concat(name_1, "'; functions: ").concat(registry_js_1.definitionList.map(function (d) { return d.name; }).join(', ')));
            }
            backend = ((_c = values.backend) !== null && _c !== void 0 ? _c : 'wasm-simd');
            if (!BACKENDS.includes(backend))
                throw new bench_js_1.UsageError("unknown backend '".concat(backend, "'; backends: ").concat(BACKENDS.join(', ')));
            out = (_d = values.out) !== null && _d !== void 0 ? _d : 'docs/plots';
            (0, node_fs_1.mkdirSync)(out, { recursive: true });
            acts = (0, instance_js_1.createActivationsSync)({ backend: backend });
            for (_a = 0, names_2 = names; _a < names_2.length; _a++) {
                name_2 = names_2[_a];
                file = (0, node_path_1.join)(out, "".concat(name_2, ".svg"));
                (0, node_fs_1.writeFileSync)(file, (0, plot_js_1.renderPlotSvg)((0, plot_js_1.sampleActivation)(acts, registry_js_1.definitions[name_2])));
                console.log("wrote ".concat(file));
            }
            readme = values.out === undefined && (0, node_fs_1.existsSync)('README.md') ? (0, node_fs_1.readFileSync)('README.md', 'utf8') : '';
            if (readme.includes('<!-- plots:start -->')) {
                updated = (0, plot_js_1.renderPlotsSection)(readme, registry_js_1.definitionList.map(function (d) { return d.name; }));
                if (updated !== readme) {
                    (0, node_fs_1.writeFileSync)('README.md', updated);
                    console.log('updated the plots in README.md');
                }
            }
            return [2 /*return*/];
        });
    });
}
