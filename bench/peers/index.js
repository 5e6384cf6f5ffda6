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
Object.defineProperty(exports, "__esModule", { value: true });
exports.PEERS = void 0;
exports.peersDir = peersDir;
exports.missingPeers = missingPeers;
exports.ensurePeersInstalled = ensurePeersInstalled;
exports.peerContext = peerContext;
exports.loadPeers = loadPeers;
// The peers of `--peers`: other libraries that compute the same activations, installed into
// bench/peers/node_modules from this folder's own package.json and lock on first use, never
// dependencies of wasm-activations itself. They are loaded at run time from that folder by
// absolute path, so the package builds, tests and publishes without them.
var node_child_process_1 = require("node:child_process");
var node_fs_1 = require("node:fs");
var node_module_1 = require("node:module");
var node_path_1 = require("node:path");
var node_url_1 = require("node:url");
var onnx_js_1 = require("./onnx.js");
var tfjs_js_1 = require("./tfjs.js");
/** The peers, in report order (wasm first, native last): id, loader. */
exports.PEERS = [
    { id: 'tfjs-wasm', load: tfjs_js_1.loadTfjs },
    { id: 'ort-web', load: onnx_js_1.loadOrtWeb },
    { id: 'ort-node', load: onnx_js_1.loadOrtNode },
];
/**
 * The order they are loaded in: onnxruntime-node before onnxruntime-web, since the first of the
 * two to register the shared 'cpu' backend keeps it (see bench/peers/onnx.ts).
 */
var LOAD_ORDER = ['ort-node', 'ort-web', 'tfjs-wasm'];
/** The name in the peers' package.json. */
var PEERS_PACKAGE = 'wasm-activations-bench-peers';
/**
 * The folder holding the peers' package.json and package-lock.json: bench/peers of a checkout
 * (this file compiles to dist/bench/peers/index.js), else the copy beside the compiled file
 * (`npm run build` copies both files there, for an installed package).
 */
function peersDir() {
    var here = (0, node_path_1.dirname)((0, node_url_1.fileURLToPath)(import.meta.url));
    var candidates = [(0, node_path_1.resolve)(here, '../../../bench/peers'), here];
    var isPeers = function (dir) { return (0, node_fs_1.existsSync)((0, node_path_1.join)(dir, 'package-lock.json')) && (0, node_fs_1.existsSync)((0, node_path_1.join)(dir, 'package.json')) &&
        JSON.parse((0, node_fs_1.readFileSync)((0, node_path_1.join)(dir, 'package.json'), 'utf8')).name === PEERS_PACKAGE; };
    var found = candidates.find(isPeers);
    if (!found)
        throw new Error("no peers package.json / package-lock.json in ".concat(candidates.join(' or ')));
    return found;
}
/** The packages the peers' package.json pins, by name → version. */
function pinned(dir) {
    return JSON.parse((0, node_fs_1.readFileSync)((0, node_path_1.join)(dir, 'package.json'), 'utf8')).dependencies;
}
/** Which pinned packages are missing or at another version in dir/node_modules. */
function missingPeers(dir) {
    return Object.entries(pinned(dir)).filter(function (_a) {
        var name = _a[0], version = _a[1];
        var manifest = (0, node_path_1.join)(dir, 'node_modules', name, 'package.json');
        return !(0, node_fs_1.existsSync)(manifest) || JSON.parse((0, node_fs_1.readFileSync)(manifest, 'utf8')).version !== version;
    }).map(function (_a) {
        var name = _a[0], version = _a[1];
        return "".concat(name, "@").concat(version);
    });
}
/**
 * Installs the peers from the lock when any is missing: `npm ci --ignore-scripts` (onnxruntime-
 * node's install script would download CUDA binaries; its CPU binary is in the tarball).
 */
function ensurePeersInstalled(dir, log) {
    var missing = missingPeers(dir);
    if (!missing.length)
        return;
    log("installing the peers into ".concat(dir, " (first --peers run): npm ci --ignore-scripts (").concat(missing.join(', '), ")"));
    var npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    var result = (0, node_child_process_1.spawnSync)(npm, ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], {
        cwd: dir,
        stdio: ['ignore', process.stderr, process.stderr],
        shell: process.platform === 'win32',
    });
    if (result.error)
        throw new Error("npm ci in ".concat(dir, " failed to start: ").concat(result.error.message));
    if (result.status !== 0)
        throw new Error("npm ci --ignore-scripts in ".concat(dir, " exited with ").concat(result.status));
    var still = missingPeers(dir);
    if (still.length)
        throw new Error("after npm ci, still missing in ".concat(dir, ": ").concat(still.join(', ')));
}
/** A PeerContext over dir/node_modules. */
function peerContext(dir) {
    var require = (0, node_module_1.createRequire)((0, node_path_1.join)(dir, 'package.json'));
    var packageDir = function (name) { return (0, node_path_1.join)(dir, 'node_modules', name); };
    return {
        require: require,
        packageDir: packageDir,
        version: function (name) { return JSON.parse((0, node_fs_1.readFileSync)((0, node_path_1.join)(packageDir(name), 'package.json'), 'utf8')).version; },
    };
}
/** Installs (if needed) and loads the chosen peers, in PEERS order. */
function loadPeers(ids, log) {
    return __awaiter(this, void 0, void 0, function () {
        var dir, context, loaded, _loop_1, _i, LOAD_ORDER_1, id;
        return __generator(this, function (_a) {
            switch (_a.label) {
                case 0:
                    dir = peersDir();
                    ensurePeersInstalled(dir, log);
                    context = peerContext(dir);
                    loaded = new Map();
                    _loop_1 = function (id) {
                        var peer, _b, _c, _d;
                        return __generator(this, function (_e) {
                            switch (_e.label) {
                                case 0:
                                    peer = exports.PEERS.find(function (p) { return p.id === id; });
                                    if (!ids.includes(id)) return [3 /*break*/, 2];
                                    _c = (_b = loaded).set;
                                    _d = [id];
                                    return [4 /*yield*/, peer.load(context)];
                                case 1:
                                    _c.apply(_b, _d.concat([_e.sent()]));
                                    _e.label = 2;
                                case 2: return [2 /*return*/];
                            }
                        });
                    };
                    _i = 0, LOAD_ORDER_1 = LOAD_ORDER;
                    _a.label = 1;
                case 1:
                    if (!(_i < LOAD_ORDER_1.length)) return [3 /*break*/, 4];
                    id = LOAD_ORDER_1[_i];
                    return [5 /*yield**/, _loop_1(id)];
                case 2:
                    _a.sent();
                    _a.label = 3;
                case 3:
                    _i++;
                    return [3 /*break*/, 1];
                case 4: return [2 /*return*/, exports.PEERS.filter(function (p) { return loaded.has(p.id); }).map(function (p) { return loaded.get(p.id); })];
            }
        });
    });
}
