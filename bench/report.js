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
exports.GOALS = void 0;
exports.renderText = renderText;
exports.renderMarkdown = renderMarkdown;
exports.formatSize = formatSize;
exports.formatNumber = formatNumber;
exports.spreadPercent = spreadPercent;
exports.formatCell = formatCell;
exports.formatRatio = formatRatio;
exports.sizeTable = sizeTable;
exports.perCallTable = perCallTable;
exports.limitsTable = limitsTable;
exports.baselines = baselines;
exports.speedupTable = speedupTable;
exports.goalTable = goalTable;
exports.outOfBoundNotes = outOfBoundNotes;
exports.wrongNotes = wrongNotes;
exports.machineLine = machineLine;
exports.formatReport = formatReport;
// Turns benchmark results into tables: one model (a header and rows of strings) rendered as
// padded text for stdout or as Markdown for the README.
var results_js_1 = require("./results.js");
/** Columns padded to their widest cell, two spaces apart; first column left-aligned, the rest right. */
function renderText(table) {
    var all = __spreadArray([table.header], table.rows, true);
    var widths = table.header.map(function (_, i) { return Math.max.apply(Math, all.map(function (row) { var _a; return __spreadArray([], ((_a = row[i]) !== null && _a !== void 0 ? _a : ''), true).length; })); });
    var pad = function (text, i) {
        var fill = ' '.repeat(widths[i] - __spreadArray([], text, true).length);
        return i === 0 ? text + fill : fill + text;
    };
    return all.map(function (row) { return table.header.map(function (_, i) { var _a; return pad((_a = row[i]) !== null && _a !== void 0 ? _a : '', i); }).join('  ').trimEnd(); }).join('\n');
}
/** A GitHub-flavoured Markdown table (first column left-aligned, the rest right). */
function renderMarkdown(table) {
    var escape = function (text) { return text.replace(/\|/g, '\\|'); };
    var line = function (row) { return "| ".concat(table.header.map(function (_, i) { var _a; return escape((_a = row[i]) !== null && _a !== void 0 ? _a : ''); }).join(' | '), " |"); };
    var rule = "|".concat(table.header.map(function (_, i) { return (i === 0 ? ':---' : '---:'); }).join('|'), "|");
    return __spreadArray([line(table.header), rule], table.rows.map(line), true).join('\n');
}
/** Human size: 4096 -> 4Ki, 1048576 -> 1Mi. */
function formatSize(n) {
    if (n % 1048576 === 0)
        return "".concat(n / 1048576, "Mi");
    if (n % 1024 === 0)
        return "".concat(n / 1024, "Ki");
    return String(n);
}
/** A time in ns: three significant digits below 100 (0.047, 1.18, 14.3), whole numbers above. */
function formatNumber(value) {
    if (!Number.isFinite(value))
        return String(value);
    if (Math.abs(value) >= 100)
        return Math.round(value).toString();
    return Number(value.toPrecision(3)).toString();
}
/** The interquartile range as ± % of the median. */
function spreadPercent(cell) {
    return ((cell.q3 - cell.q1) / cell.median) * 100;
}
/**
 * One cell as text: the median and the IQR as ± % of it ('1.18 ±2%'); '*' after a peer outside
 * our accuracy bound; 'wrong' for a wrong answer (not timed); '—' where nothing ran.
 */
function formatCell(cell, withSpread) {
    if (withSpread === void 0) { withSpread = true; }
    if (!cell)
        return '—';
    if (cell.error || cell.median === undefined)
        return 'wrong';
    var mark = cell.outOfBound ? '*' : '';
    return withSpread ? "".concat(formatNumber(cell.median), " \u00B1").concat(spreadPercent(cell).toFixed(0), "%").concat(mark) : "".concat(formatNumber(cell.median)).concat(mark);
}
/** How many times faster `ours` is than `theirs` (their time / our time): '8.5×', '116×'. */
function formatRatio(theirs, ours) {
    if (theirs === undefined || ours === undefined || !(ours > 0))
        return '—';
    var r = theirs / ours;
    return "".concat(r >= 100 ? r.toFixed(0) : r >= 10 ? r.toFixed(1) : r.toFixed(2), "\u00D7");
}
/** The implementations that have at least one cell in `unit` (table columns), in results order. */
function columns(results, unit) {
    return results.implementations.map(function (i) { return i.id; }).filter(function (id) { return results.cells.some(function (c) { return c.impl === id && c.unit === unit; }); });
}
/** ns/element at one size: a row per function, a column per implementation. */
function sizeTable(results, size, withSpread) {
    if (withSpread === void 0) { withSpread = true; }
    var impls = columns(results, 'ns/element');
    return {
        header: __spreadArray(['function'], impls, true),
        rows: results.fns.map(function (fn) { return __spreadArray([fn], impls.map(function (impl) { return formatCell((0, results_js_1.findCell)(results.cells, fn, size, impl), withSpread); }), true); }),
    };
}
/** ns per call at n = 16 (what a tiny input pays): a row per function, a column per implementation. */
function perCallTable(results, withSpread) {
    if (withSpread === void 0) { withSpread = true; }
    var impls = columns(results, 'ns/call');
    if (!impls.length)
        return undefined;
    var n = results.method.perCallN;
    return {
        header: __spreadArray(['function'], impls, true),
        rows: results.fns.map(function (fn) { return __spreadArray([fn], impls.map(function (impl) { return formatCell((0, results_js_1.findCell)(results.cells, fn, n, impl, 'ns/call'), withSpread); }), true); }),
    };
}
/** The limits (moving the bytes without computing) at every size, ns/element. */
function limitsTable(results, withSpread) {
    if (withSpread === void 0) { withSpread = true; }
    if (!results.limits.length || !results.cells.some(function (c) { return c.fn === 'limit'; }))
        return undefined;
    return {
        header: __spreadArray(['limit'], results.sizes.map(formatSize), true),
        rows: results.limits.map(function (l) { return __spreadArray([l.id], results.sizes.map(function (s) { return formatCell((0, results_js_1.findCell)(results.cells, 'limit', s, l.id), withSpread); }), true); }),
    };
}
/** The baselines of the headline: the naive loop, then each peer that ran. */
function baselines(results) {
    var ran = new Set(results.cells.map(function (c) { return c.impl; }));
    return __spreadArray(__spreadArray([], (ran.has('naive') ? [{ id: 'naive', name: 'the naive JS loop' }] : []), true), results.implementations.filter(function (i) { return i.kind === 'peer' && ran.has(i.id); }).map(function (i) { return ({ id: i.id, name: i.id }); }), true);
}
/**
 * The headline against one baseline (the naive loop or a peer): how many times faster wasm-simd
 * is, per function and size, through the copying API and zero-copy ('8.48× / 9.01×').
 */
function speedupTable(results, baseline) {
    return {
        header: __spreadArray(['function'], results.sizes.map(formatSize), true),
        rows: results.fns.map(function (fn) { return __spreadArray([fn], results.sizes.map(function (size) {
            var theirs = (0, results_js_1.medianOf)(results.cells, fn, size, baseline);
            return "".concat(formatRatio(theirs, (0, results_js_1.medianOf)(results.cells, fn, size, 'wasm-simd')), " / ").concat(formatRatio(theirs, (0, results_js_1.medianOf)(results.cells, fn, size, 'zero-copy')));
        }), true); }),
    };
}
/** The figures issue 4 asks for: wasm-simd, one thread, at 64Ki and 1Mi. */
exports.GOALS = [
    { fns: ['sigmoid', 'tanh', 'softmax'], ours: 'wasm-simd', peers: ['tfjs-wasm', 'ort-web'], factor: 1.5, sizes: [65536, 1048576] },
    { fns: ['relu', 'leakyRelu'], ours: 'zero-copy', peers: ['tfjs-wasm', 'ort-web'], factor: 2, sizes: [65536, 1048576] },
];
/** Each goal checked against the run: one row per function × size, a column per peer ('2.31× ✓'). */
function goalTable(results, goals) {
    if (goals === void 0) { goals = exports.GOALS; }
    var rows = [];
    var peers = __spreadArray([], new Set(goals.flatMap(function (g) { return g.peers; })), true).filter(function (p) { return results.cells.some(function (c) { return c.impl === p; }); });
    if (!peers.length)
        return undefined;
    var _loop_1 = function (goal) {
        var _loop_2 = function (fn) {
            if (!results.fns.includes(fn))
                return "continue";
            var _loop_3 = function (size) {
                if (!results.sizes.includes(size))
                    return "continue";
                var ours = (0, results_js_1.medianOf)(results.cells, fn, size, goal.ours);
                rows.push(__spreadArray(["".concat(fn, " @ ").concat(formatSize(size)), "".concat(goal.ours, " \u2265 ").concat(goal.factor, "\u00D7")], peers.map(function (p) {
                    var theirs = (0, results_js_1.medianOf)(results.cells, fn, size, p);
                    if (theirs === undefined || ours === undefined)
                        return '—';
                    return "".concat(formatRatio(theirs, ours), " ").concat(theirs / ours >= goal.factor ? '✓' : '✗');
                }), true));
            };
            for (var _c = 0, _d = goal.sizes; _c < _d.length; _c++) {
                var size = _d[_c];
                _loop_3(size);
            }
        };
        for (var _a = 0, _b = goal.fns; _a < _b.length; _a++) {
            var fn = _b[_a];
            _loop_2(fn);
        }
    };
    for (var _i = 0, goals_1 = goals; _i < goals_1.length; _i++) {
        var goal = goals_1[_i];
        _loop_1(goal);
    }
    return rows.length ? { header: __spreadArray(['function @ size', 'goal'], peers.map(function (p) { return "vs ".concat(p); }), true), rows: rows } : undefined;
}
/** The peers outside our accuracy bound, one line each ('tfjs-wasm sigmoid: max 12.3 ULP (bound 2)'). */
function outOfBoundNotes(results) {
    var worst = new Map();
    for (var _i = 0, _a = results.cells; _i < _a.length; _i++) {
        var c = _a[_i];
        if (!c.outOfBound)
            continue;
        var key = "".concat(c.impl, " ").concat(c.fn);
        if (!worst.has(key) || worst.get(key).maxUlp < c.maxUlp)
            worst.set(key, c);
    }
    var order = function (c) { return results.implementations.findIndex(function (i) { return i.id === c.impl; }) * 1000 + results.fns.indexOf(c.fn); };
    return __spreadArray([], worst.entries(), true).sort(function (_a, _b) {
        var a = _a[1];
        var b = _b[1];
        return order(a) - order(b);
    })
        .map(function (_a) {
        var key = _a[0], c = _a[1];
        return "".concat(key, ": max error ").concat(formatNumber(c.maxUlp), " ULP (our bound: ").concat(c.boundUlp, ")");
    });
}
/** The cells with a wrong answer, one line each. */
function wrongNotes(results) {
    return results.cells.filter(function (c) { return c.error; }).map(function (c) { return "".concat(c.impl, " ").concat(c.fn, " @ ").concat(formatSize(c.size), ": ").concat(c.error); });
}
/** One line on the machine and the run. */
function machineLine(results) {
    var e = results.environment;
    return "".concat(e.cpu, " (").concat(e.cores, " cores, ").concat(e.memoryGiB, " GiB), ").concat(e.platform, " ").concat(e.arch, ", Node ").concat(e.node, "; one thread per implementation");
}
/** The whole report printed on stdout. */
function formatReport(results) {
    var _a;
    var out = [];
    var e = results.environment;
    out.push("wasm-activations ".concat((_a = e.versions['wasm-activations']) !== null && _a !== void 0 ? _a : '', " benchmark \u2014 ").concat(machineLine(results), "; ").concat(results.durationSeconds.toFixed(0), " s"));
    out.push('Cells: median ns per element over calibrated batches, ± the interquartile range as % of the median.');
    for (var _i = 0, _b = results.sizes; _i < _b.length; _i++) {
        var size = _b[_i];
        out.push("\n".concat(formatSize(size), " elements (softmax: rows of ").concat(results.method.rowLength, ") \u2014 ns/element"));
        out.push(renderText(sizeTable(results, size)));
    }
    var limits = limitsTable(results);
    if (limits)
        out.push('\nLimits: the same bytes moved without computing — ns/element', renderText(limits));
    var perCall = perCallTable(results);
    if (perCall)
        out.push("\nOne call at n = ".concat(results.method.perCallN, " \u2014 ns/call"), renderText(perCall));
    out.push('\nHeadline — how many times faster wasm-simd is: copying API / zero-copy');
    for (var _c = 0, _d = baselines(results); _c < _d.length; _c++) {
        var b = _d[_c];
        out.push("\nthan ".concat(b.name), renderText(speedupTable(results, b.id)));
    }
    var goals = goalTable(results);
    if (goals)
        out.push('\nGoals (one thread; peers through their ordinary API end to end)', renderText(goals));
    var peers = results.implementations.filter(function (i) { return i.kind === 'peer'; });
    if (peers.length) {
        out.push('\nPeers (one timed call is their API end to end, as a caller pays it):');
        for (var _e = 0, peers_1 = peers; _e < peers_1.length; _e++) {
            var p = peers_1[_e];
            out.push("  ".concat(p.id, ": ").concat(p.label, " \u2014 ").concat(p.note));
        }
    }
    var outside = outOfBoundNotes(results);
    if (outside.length)
        out.push.apply(out, __spreadArray(['\n* outside our accuracy bound (timed all the same: not their contract):'], outside.map(function (l) { return "  ".concat(l); }), false));
    var wrong = wrongNotes(results);
    if (wrong.length)
        out.push.apply(out, __spreadArray(['\nWrong answers (not timed):'], wrong.map(function (l) { return "  ".concat(l); }), false));
    return out.join('\n');
}
