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
exports.DEFAULT_COMMAND = exports.COMMANDS = void 0;
exports.usage = usage;
exports.resolveCommand = resolveCommand;
exports.main = main;
// The subcommands of the `wasm-activations` CLI. A command is a name, a one-line summary and a
// function of its arguments, loaded only when it runs; add one here (e.g. `accuracy`, `plot`).
var bench_js_1 = require("./bench.js");
/** Every subcommand, by name; the first is the default when none is given. */
exports.COMMANDS = {
    bench: {
        summary: 'time every activation against a naive JS loop, the memory limits and (--peers) tfjs and onnxruntime',
        run: function (argv) { return __awaiter(void 0, void 0, void 0, function () { return __generator(this, function (_a) {
            switch (_a.label) {
                case 0: return [4 /*yield*/, Promise.resolve().then(function () { return require('./bench.js'); })];
                case 1: return [2 /*return*/, (_a.sent()).benchCommand(argv)];
            }
        }); }); },
    },
    accuracy: {
        summary: 'every float32 input (or a stratified sample) through each activation on each backend, against float64: max ULP, histogram, mismatches',
        run: function (argv) { return __awaiter(void 0, void 0, void 0, function () { return __generator(this, function (_a) {
            switch (_a.label) {
                case 0: return [4 /*yield*/, Promise.resolve().then(function () { return require('./accuracy.js'); })];
                case 1: return [2 /*return*/, (_a.sent()).accuracyCommand(argv)];
            }
        }); }); },
    },
    plot: {
        summary: 'one SVG per activation: the function and its derivative, computed by the kernels (the README\'s pictures)',
        run: function (argv) { return __awaiter(void 0, void 0, void 0, function () { return __generator(this, function (_a) {
            switch (_a.label) {
                case 0: return [4 /*yield*/, Promise.resolve().then(function () { return require('./plot.js'); })];
                case 1: return [2 /*return*/, (_a.sent()).plotCommand(argv)];
            }
        }); }); },
    },
};
/** The default command: `wasm-activations --quick` is `wasm-activations bench --quick`. */
exports.DEFAULT_COMMAND = 'bench';
/** The CLI's top-level help: its commands, then the default command's options. */
function usage() {
    return __awaiter(this, void 0, void 0, function () {
        var names, width, HELP;
        return __generator(this, function (_a) {
            switch (_a.label) {
                case 0:
                    names = Object.keys(exports.COMMANDS);
                    width = Math.max.apply(Math, names.map(function (n) { return n.length; }));
                    return [4 /*yield*/, Promise.resolve().then(function () { return require('./bench.js'); })];
                case 1:
                    HELP = (_a.sent()).HELP;
                    return [2 /*return*/, __spreadArray(__spreadArray([
                            'Usage: wasm-activations <command> [options]      (npx wasm-activations …, or npm run <command> in a checkout)',
                            '',
                            'Commands:'
                        ], names.map(function (n) { return "  ".concat(n.padEnd(width), "  ").concat(exports.COMMANDS[n].summary); }), true), [
                            '',
                            "Without a command: ".concat(exports.DEFAULT_COMMAND, ". `wasm-activations <command> --help` shows a command's options."),
                            '',
                            HELP,
                        ], false).join('\n')];
            }
        });
    });
}
/** Splits argv into the command and its arguments. */
function resolveCommand(argv) {
    var first = argv[0], rest = argv.slice(1);
    if (first === undefined || first.startsWith('-')) {
        if (first === '-h' || first === '--help' || first === 'help')
            return { help: true };
        return { name: exports.DEFAULT_COMMAND, args: argv };
    }
    if (first === 'help')
        return { help: true };
    if (!(first in exports.COMMANDS))
        throw new bench_js_1.UsageError("unknown command '".concat(first, "'; commands: ").concat(Object.keys(exports.COMMANDS).join(', ')));
    return { name: first, args: rest };
}
/** Runs the CLI on argv (without node and the script); returns the exit code. */
function main(argv) {
    return __awaiter(this, void 0, void 0, function () {
        var resolved, _a, _b, error_1;
        var _c;
        return __generator(this, function (_d) {
            switch (_d.label) {
                case 0:
                    _d.trys.push([0, 4, , 5]);
                    resolved = resolveCommand(argv);
                    if (!('help' in resolved)) return [3 /*break*/, 2];
                    _b = (_a = console).log;
                    return [4 /*yield*/, usage()];
                case 1:
                    _b.apply(_a, [_d.sent()]);
                    return [2 /*return*/, 0];
                case 2: return [4 /*yield*/, exports.COMMANDS[resolved.name].run(resolved.args)];
                case 3:
                    _d.sent();
                    return [2 /*return*/, 0];
                case 4:
                    error_1 = _d.sent();
                    if (error_1 instanceof bench_js_1.UsageError) {
                        console.error("wasm-activations: ".concat(error_1.message, "\nRun 'wasm-activations --help' for the options."));
                        return [2 /*return*/, 2];
                    }
                    console.error(error_1 instanceof Error ? ((_c = error_1.stack) !== null && _c !== void 0 ? _c : error_1.message) : error_1);
                    return [2 /*return*/, 1];
                case 5: return [2 /*return*/];
            }
        });
    });
}
