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
exports.escapeXml = escapeXml;
exports.decadeTicks = decadeTicks;
exports.logScale = logScale;
exports.chartFromResults = chartFromResults;
exports.renderSvg = renderSvg;
// The benchmark as an SVG bar chart: one panel per size side by side, a group of horizontal bars
// per function (one bar per implementation, ns per element on a shared log-scale x axis, the
// interquartile range as a whisker), the memory.copy limit as a dashed line, a legend and a
// title. Plain string building, no dependencies; every number is rounded to 0.1 px.
var report_js_1 = require("./report.js");
var results_js_1 = require("./results.js");
/** Colours by implementation id; others take the fallback palette in order. */
var COLORS = {
    naive: '#9e9e9e',
    js: '#c7b8a1',
    'wasm-scalar': '#8fb8de',
    'wasm-simd': '#1f77b4',
    'zero-copy': '#0b3d6e',
    'tfjs-wasm': '#ff7f0e',
    'ort-web': '#d62728',
    'ort-node': '#9467bd',
};
var PALETTE = ['#2ca02c', '#8c564b', '#e377c2', '#17becf', '#bcbd22'];
/** Escapes text for XML content and attribute values. */
function escapeXml(text) {
    return text.replace(/[&<>"']/g, function (c) { return ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]; });
}
/** Powers of ten from the one at or below `min` to the one at or above `max` (both > 0). */
function decadeTicks(min, max) {
    var lo = Math.floor(Math.log10(min) + 1e-9);
    var hi = Math.max(lo + 1, Math.ceil(Math.log10(max) - 1e-9));
    var ticks = [];
    for (var e = lo; e <= hi; e++)
        ticks.push(Number("1e".concat(e)));
    return ticks;
}
/** A log-scale map from [lo, hi] (values) to [x0, x1] (pixels). */
function logScale(lo, hi, x0, x1) {
    var a = Math.log10(lo);
    var span = Math.log10(hi) - a;
    return function (value) { return x0 + ((Math.log10(Math.min(Math.max(value, lo), hi)) - a) / span) * (x1 - x0); };
}
/** The chart of a benchmark run: every timed ns/element cell of the package's rows and the peers. */
function chartFromResults(results) {
    var spare = 0;
    var series = results.implementations
        .filter(function (i) { return results.cells.some(function (c) { return c.impl === i.id && c.unit === 'ns/element'; }); })
        .map(function (i) { var _a; return ({ id: i.id, label: i.label, color: (_a = COLORS[i.id]) !== null && _a !== void 0 ? _a : PALETTE[spare++ % PALETTE.length] }); });
    var bars = [];
    for (var _i = 0, _a = results.sizes; _i < _a.length; _i++) {
        var size = _a[_i];
        for (var _b = 0, _c = results.fns; _b < _c.length; _b++) {
            var fn = _c[_b];
            for (var _d = 0, series_1 = series; _d < series_1.length; _d++) {
                var s = series_1[_d];
                var cell = (0, results_js_1.findCell)(results.cells, fn, size, s.id);
                if (!cell)
                    continue;
                bars.push({ fn: fn, size: size, series: s.id, median: cell.median, q1: cell.q1, q3: cell.q3, outOfBound: cell.outOfBound, wrong: !!cell.error });
            }
        }
    }
    var limitValues = new Map();
    for (var _e = 0, _f = results.sizes; _e < _f.length; _e++) {
        var size = _f[_e];
        var cell = (0, results_js_1.findCell)(results.cells, 'limit', size, 'memory.copy');
        if ((cell === null || cell === void 0 ? void 0 : cell.median) !== undefined)
            limitValues.set(size, cell.median);
    }
    var e = results.environment;
    return {
        title: 'wasm-activations benchmark: ns per element (log scale; shorter is faster)',
        subtitle: "".concat(e.cpu, ", ").concat(e.cores, " cores, Node ").concat(e.node, ", one thread per implementation, ").concat(results.date.slice(0, 10)),
        fns: results.fns,
        sizes: results.sizes,
        series: series,
        bars: bars,
        limit: limitValues.size ? { label: 'memory.copy of the same bytes (the limit)', values: limitValues } : undefined,
    };
}
var FONT = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"';
var BAR_H = 7;
var BAR_GAP = 1;
var GROUP_GAP = 12;
var LABEL_W = 86;
var PANEL_W = 250;
var PANEL_GAP = 36;
var MARGIN = 16;
var r = function (v) { return Math.round(v * 10) / 10; };
/** The width of `text` at 11 px in a sans-serif font, estimated (no font metrics here): 6.2 px per character. */
function textWidth(text) {
    return Math.ceil(__spreadArray([], text, true).length * 6.2);
}
/** The chart as a standalone SVG document. */
function renderSvg(chart) {
    var timed = chart.bars.filter(function (b) { return !b.wrong && b.median !== undefined && b.median > 0; });
    var values = __spreadArray(__spreadArray([], timed.flatMap(function (b) { var _a, _b; return [b.median, (_a = b.q1) !== null && _a !== void 0 ? _a : b.median, (_b = b.q3) !== null && _b !== void 0 ? _b : b.median]; }), true), (chart.limit ? chart.limit.values.values() : []), true);
    var ticks = decadeTicks(values.length ? Math.min.apply(Math, values) : 0.01, values.length ? Math.max.apply(Math, values) : 100);
    var lo = ticks[0];
    var hi = ticks[ticks.length - 1];
    var width = MARGIN * 2 + LABEL_W + chart.sizes.length * PANEL_W + (chart.sizes.length - 1) * PANEL_GAP;
    // Legend: entries flow left to right, wrapping where the next would not fit.
    var legendItems = __spreadArray(__spreadArray([], chart.series.map(function (s) { return ({ label: s.label, color: s.color, kind: 'swatch' }); }), true), (chart.limit ? [{ label: chart.limit.label, color: '#333', kind: 'line' }] : []), true);
    var legendTop = 58;
    var placed = [];
    var cursor = MARGIN;
    var row = 0;
    for (var _i = 0, legendItems_1 = legendItems; _i < legendItems_1.length; _i++) {
        var item = legendItems_1[_i];
        var w = 17 + textWidth(item.label) + 20;
        if (cursor > MARGIN && cursor + w > width - MARGIN) {
            cursor = MARGIN;
            row++;
        }
        placed.push({ x: cursor, y: legendTop + row * 18 });
        cursor += w;
    }
    var legendRows = row + 1;
    var plotTop = legendTop + legendRows * 18 + 30;
    var groupH = chart.series.length * (BAR_H + BAR_GAP) - BAR_GAP;
    var plotH = chart.fns.length * (groupH + GROUP_GAP) - GROUP_GAP + 8;
    var axisY = plotTop + plotH;
    var hasMarks = chart.bars.some(function (b) { return b.outOfBound; });
    var height = axisY + 44 + (hasMarks ? 16 : 0);
    var out = [];
    out.push("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"".concat(width, "\" height=\"").concat(height, "\" viewBox=\"0 0 ").concat(width, " ").concat(height, "\" role=\"img\" aria-labelledby=\"chart-title\" ").concat(FONT, " font-size=\"11\">"));
    out.push("<title id=\"chart-title\">".concat(escapeXml(chart.title), "</title>"));
    out.push("<rect class=\"background\" x=\"0\" y=\"0\" width=\"".concat(width, "\" height=\"").concat(height, "\" fill=\"#ffffff\"/>"));
    out.push("<text class=\"title\" x=\"".concat(MARGIN, "\" y=\"24\" font-size=\"15\" font-weight=\"600\" fill=\"#222\">").concat(escapeXml(chart.title), "</text>"));
    out.push("<text class=\"subtitle\" x=\"".concat(MARGIN, "\" y=\"42\" fill=\"#555\">").concat(escapeXml(chart.subtitle), "</text>"));
    // Legend.
    out.push('<g class="legend">');
    legendItems.forEach(function (item, i) {
        var _a = placed[i], x = _a.x, y = _a.y;
        if (item.kind === 'swatch')
            out.push("<rect class=\"legend-swatch\" x=\"".concat(x, "\" y=\"").concat(y, "\" width=\"12\" height=\"10\" fill=\"").concat(item.color, "\"/>"));
        else
            out.push("<line class=\"legend-limit\" x1=\"".concat(x, "\" y1=\"").concat(y + 5, "\" x2=\"").concat(x + 12, "\" y2=\"").concat(y + 5, "\" stroke=\"").concat(item.color, "\" stroke-dasharray=\"3 2\"/>"));
        out.push("<text class=\"legend-label\" x=\"".concat(x + 17, "\" y=\"").concat(y + 9, "\" fill=\"#222\">").concat(escapeXml(item.label), "</text>"));
    });
    out.push('</g>');
    // Function labels, once, left of the first panel.
    chart.fns.forEach(function (fn, g) {
        var y = plotTop + g * (groupH + GROUP_GAP) + groupH / 2 + 4;
        out.push("<text class=\"fn-label\" x=\"".concat(MARGIN + LABEL_W - 8, "\" y=\"").concat(r(y), "\" text-anchor=\"end\" font-weight=\"600\" fill=\"#222\">").concat(escapeXml(fn), "</text>"));
    });
    chart.sizes.forEach(function (size, p) {
        var _a;
        var x0 = MARGIN + LABEL_W + p * (PANEL_W + PANEL_GAP);
        var x1 = x0 + PANEL_W;
        var x = logScale(lo, hi, x0, x1);
        out.push("<g class=\"panel\" data-size=\"".concat(size, "\">"));
        out.push("<text class=\"panel-title\" x=\"".concat(r((x0 + x1) / 2), "\" y=\"").concat(plotTop - 10, "\" text-anchor=\"middle\" font-weight=\"600\" fill=\"#222\">").concat(escapeXml("".concat((0, report_js_1.formatSize)(size), " elements")), "</text>"));
        // Grid and ticks.
        for (var _i = 0, ticks_1 = ticks; _i < ticks_1.length; _i++) {
            var t = ticks_1[_i];
            var tx = r(x(t));
            out.push("<line class=\"grid\" x1=\"".concat(tx, "\" y1=\"").concat(plotTop, "\" x2=\"").concat(tx, "\" y2=\"").concat(axisY, "\" stroke=\"#e3e3e3\"/>"));
            out.push("<text class=\"tick\" data-value=\"".concat(t, "\" x=\"").concat(tx, "\" y=\"").concat(axisY + 14, "\" text-anchor=\"middle\" fill=\"#444\">").concat(escapeXml((0, report_js_1.formatNumber)(t)), "</text>"));
        }
        out.push("<line class=\"axis\" x1=\"".concat(x0, "\" y1=\"").concat(axisY, "\" x2=\"").concat(x1, "\" y2=\"").concat(axisY, "\" stroke=\"#444\"/>"));
        // Bars.
        chart.fns.forEach(function (fn, g) {
            var top = plotTop + g * (groupH + GROUP_GAP);
            chart.series.forEach(function (s, i) {
                var bar = chart.bars.find(function (b) { return b.fn === fn && b.size === size && b.series === s.id; });
                if (!bar)
                    return;
                var y = top + i * (BAR_H + BAR_GAP);
                if (bar.wrong || bar.median === undefined) {
                    out.push("<text class=\"wrong\" x=\"".concat(x0 + 2, "\" y=\"").concat(y + BAR_H, "\" font-size=\"8\" fill=\"#c00\">wrong: ").concat(escapeXml(s.id), "</text>"));
                    return;
                }
                var w = Math.max(0.5, r(x(bar.median) - x0));
                var tip = "".concat(fn, " @ ").concat((0, report_js_1.formatSize)(size), ", ").concat(s.label, ": ").concat((0, report_js_1.formatNumber)(bar.median), " ns/element").concat(bar.outOfBound ? ' (outside our accuracy bound)' : '');
                out.push("<rect class=\"bar\" data-fn=\"".concat(escapeXml(fn), "\" data-size=\"").concat(size, "\" data-impl=\"").concat(escapeXml(s.id), "\" data-median=\"").concat(bar.median, "\" x=\"").concat(x0, "\" y=\"").concat(y, "\" width=\"").concat(w, "\" height=\"").concat(BAR_H, "\" fill=\"").concat(s.color, "\"").concat(bar.outOfBound ? ' fill-opacity="0.45"' : '', "><title>").concat(escapeXml(tip), "</title></rect>"));
                if (bar.q1 !== undefined && bar.q3 !== undefined) {
                    out.push("<line class=\"iqr\" x1=\"".concat(r(x(bar.q1)), "\" y1=\"").concat(y + BAR_H / 2, "\" x2=\"").concat(r(x(bar.q3)), "\" y2=\"").concat(y + BAR_H / 2, "\" stroke=\"#000\" stroke-opacity=\"0.55\"/>"));
                }
                if (bar.outOfBound) {
                    var end = Math.max(x0 + w, bar.q3 !== undefined ? x(bar.q3) : 0);
                    out.push("<text class=\"mark\" x=\"".concat(r(end + 2), "\" y=\"").concat(y + BAR_H, "\" font-size=\"9\" fill=\"#222\">*</text>"));
                }
            });
        });
        var limit = (_a = chart.limit) === null || _a === void 0 ? void 0 : _a.values.get(size);
        if (limit !== undefined) {
            var lx = r(x(limit));
            out.push("<line class=\"limit\" x1=\"".concat(lx, "\" y1=\"").concat(plotTop - 4, "\" x2=\"").concat(lx, "\" y2=\"").concat(axisY, "\" stroke=\"#333\" stroke-dasharray=\"3 2\"/>"));
        }
        out.push('</g>');
    });
    out.push("<text class=\"axis-title\" x=\"".concat(r(MARGIN + LABEL_W + (width - 2 * MARGIN - LABEL_W) / 2), "\" y=\"").concat(axisY + 32, "\" text-anchor=\"middle\" fill=\"#222\">ns per element (log scale); whiskers: interquartile range</text>"));
    if (hasMarks)
        out.push("<text class=\"note\" x=\"".concat(MARGIN, "\" y=\"").concat(axisY + 50, "\" fill=\"#555\">* a peer outside our accuracy bound (timed all the same; see the table)</text>"));
    out.push('</svg>');
    return "".concat(out.join('\n'), "\n");
}
