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
exports.PLOT_POINTS = void 0;
exports.defaultParams = defaultParams;
exports.linspace = linspace;
exports.sampleActivation = sampleActivation;
exports.niceTicks = niceTicks;
exports.renderPlotSvg = renderPlotSvg;
exports.plotsSection = plotsSection;
exports.renderPlotsSection = renderPlotsSection;
/** Points per curve: 480 intervals put every multiple of 1/60 of the domain, 0 included, on the grid. */
exports.PLOT_POINTS = 481;
var FUNCTION_COLOR = '#1f77b4';
var DERIVATIVE_COLOR = '#d62728';
/** The params of `definition` at their defaults (a required param at its example value). */
function defaultParams(definition) {
    var params = {};
    for (var _i = 0, _a = Object.entries(definition.params); _i < _a.length; _i++) {
        var _b = _a[_i], name_1 = _b[0], spec = _b[1];
        params[name_1] = spec.default;
    }
    return params;
}
/** `n` evenly spaced float32 points from lo to hi, both included. */
function linspace(lo, hi, n) {
    var xs = new Float32Array(n);
    for (var i = 0; i < n; i++)
        xs[i] = lo + ((hi - lo) * i) / (n - 1);
    return xs;
}
function paramText(params) {
    return Object.entries(params).map(function (_a) {
        var name = _a[0], value = _a[1];
        return "".concat(name, " = ").concat(value);
    }).join(', ');
}
/**
 * `definition` and its derivative over its plotDomain on `acts` (any backend), with `params`
 * (default: the defaults). A softmax-like function is plotted along one logit: softmax([x, 0])₀
 * and its partial derivative ∂/∂x₀, both from the kernels over rows of two.
 */
function sampleActivation(acts, definition, params, points) {
    if (params === void 0) { params = defaultParams(definition); }
    if (points === void 0) { points = exports.PLOT_POINTS; }
    var _a = definition.plotDomain, lo = _a[0], hi = _a[1];
    var xs = linspace(lo, hi, points);
    var functions = acts;
    var forward = functions[definition.name];
    var backward = functions["".concat(definition.name, "Backward")];
    var settings = paramText(params);
    var ys;
    var dys;
    var f;
    var df;
    if (definition.kind === 'reduction') {
        // Rows [x, 0]: component 0 of the output, and of the backward pass with dy = [1, 0], which
        // is y₀(1 − y₀) = ∂y₀/∂x₀ for softmax.
        var rows = new Float32Array(points * 2);
        var dy = new Float32Array(points * 2);
        for (var i = 0; i < points; i++) {
            rows[2 * i] = xs[i];
            dy[2 * i] = 1;
        }
        var layout = __assign(__assign({}, params), { shape: [points, 2], dim: 1 });
        var y = forward(rows, layout);
        var dx = backward(dy, y, layout);
        ys = new Float32Array(points);
        dys = new Float32Array(points);
        for (var i = 0; i < points; i++) {
            ys[i] = y[2 * i];
            dys[i] = dx[2 * i];
        }
        f = "".concat(definition.name, "([x, 0])\u2080");
        df = "\u2202/\u2202x\u2080 (backward, dy = [1, 0])";
    }
    else {
        ys = forward(xs, params);
        dys = backward(new Float32Array(points).fill(1), xs, params);
        f = "".concat(definition.name, "(x)");
        df = "derivative (backward, dy = 1)";
    }
    return {
        name: definition.name,
        title: "".concat(definition.name).concat(settings ? " (".concat(settings, ")") : ''),
        subtitle: definition.formula,
        xs: xs,
        curves: [
            { label: f, color: FUNCTION_COLOR, ys: ys },
            { label: df, color: DERIVATIVE_COLOR, dash: '5 3', ys: dys },
        ],
    };
}
/** About `count` round tick values (1, 2 or 5 × 10^k apart) covering [lo, hi]. */
function niceTicks(lo, hi, count) {
    var _a;
    if (count === void 0) { count = 6; }
    var raw = (hi - lo) / Math.max(1, count - 1);
    var magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    var step = (_a = [1, 2, 5, 10].map(function (m) { return m * magnitude; }).find(function (s) { return s >= raw; })) !== null && _a !== void 0 ? _a : 10 * magnitude;
    var ticks = [];
    for (var t = Math.ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step)
        ticks.push(Number(t.toPrecision(12)) || 0); // || 0: no -0 tick
    return ticks;
}
/** Escapes text for XML content and attribute values. */
function escapeXml(text) {
    return text.replace(/[&<>"']/g, function (c) { return ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]; });
}
/** Rounds a pixel coordinate to 0.1 px (short, stable output). */
var r = function (v) { return Math.round(v * 10) / 10; };
var FONT = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"';
/** The plot as a standalone SVG document of `width` × `height` px. */
function renderPlotSvg(plot, width, height) {
    if (width === void 0) { width = 480; }
    if (height === void 0) { height = 320; }
    var left = 46;
    var right = width - 14;
    var top = 78;
    var bottom = height - 38;
    var _a = [plot.xs[0], plot.xs[plot.xs.length - 1]], xlo = _a[0], xhi = _a[1];
    // The y range: every finite value of every curve, and 0, with a little room.
    var ylo = 0;
    var yhi = 0;
    for (var _i = 0, _b = plot.curves; _i < _b.length; _i++) {
        var curve = _b[_i];
        for (var i = 0; i < curve.ys.length; i++) {
            var v = curve.ys[i];
            if (Number.isFinite(v)) {
                ylo = Math.min(ylo, v);
                yhi = Math.max(yhi, v);
            }
        }
    }
    if (yhi - ylo < 1e-6)
        yhi = ylo + 1;
    var pad = (yhi - ylo) * 0.06;
    ylo -= pad;
    yhi += pad;
    var sx = function (x) { return left + ((x - xlo) / (xhi - xlo)) * (right - left); };
    var sy = function (y) { return bottom - ((y - ylo) / (yhi - ylo)) * (bottom - top); };
    var out = [];
    out.push("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"".concat(width, "\" height=\"").concat(height, "\" viewBox=\"0 0 ").concat(width, " ").concat(height, "\" role=\"img\" aria-labelledby=\"plot-").concat(plot.name, "-title\" ").concat(FONT, " font-size=\"11\">"));
    out.push("<title id=\"plot-".concat(plot.name, "-title\">").concat(escapeXml("".concat(plot.title, ": ").concat(plot.subtitle)), "</title>"));
    out.push("<rect class=\"background\" x=\"0\" y=\"0\" width=\"".concat(width, "\" height=\"").concat(height, "\" fill=\"#ffffff\"/>"));
    out.push("<text class=\"title\" x=\"".concat(left, "\" y=\"20\" font-size=\"14\" font-weight=\"600\" fill=\"#222\">").concat(escapeXml(plot.title), "</text>"));
    out.push("<text class=\"subtitle\" x=\"".concat(left, "\" y=\"37\" fill=\"#555\">").concat(escapeXml(plot.subtitle), "</text>"));
    // Legend: one row under the subtitle.
    var lx = left;
    out.push('<g class="legend">');
    for (var _c = 0, _d = plot.curves; _c < _d.length; _c++) {
        var curve = _d[_c];
        out.push("<line x1=\"".concat(lx, "\" y1=\"54\" x2=\"").concat(lx + 18, "\" y2=\"54\" stroke=\"").concat(curve.color, "\" stroke-width=\"2\"").concat(curve.dash ? " stroke-dasharray=\"".concat(curve.dash, "\"") : '', "/>"));
        out.push("<text class=\"legend-label\" x=\"".concat(lx + 23, "\" y=\"58\" fill=\"#222\">").concat(escapeXml(curve.label), "</text>"));
        lx += 23 + Math.ceil(__spreadArray([], curve.label, true).length * 6.2) + 18;
    }
    out.push('</g>');
    // Grid, ticks and axes (the axes through 0 where 0 is in range, else along the frame).
    out.push('<g class="grid">');
    for (var _e = 0, _f = niceTicks(xlo, xhi, 8); _e < _f.length; _e++) {
        var t = _f[_e];
        out.push("<line x1=\"".concat(r(sx(t)), "\" y1=\"").concat(top, "\" x2=\"").concat(r(sx(t)), "\" y2=\"").concat(bottom, "\" stroke=\"#ececec\"/>"));
        out.push("<text class=\"tick x-tick\" x=\"".concat(r(sx(t)), "\" y=\"").concat(bottom + 14, "\" text-anchor=\"middle\" fill=\"#444\">").concat(t, "</text>"));
    }
    for (var _g = 0, _h = niceTicks(ylo, yhi, 5); _g < _h.length; _g++) {
        var t = _h[_g];
        out.push("<line x1=\"".concat(left, "\" y1=\"").concat(r(sy(t)), "\" x2=\"").concat(right, "\" y2=\"").concat(r(sy(t)), "\" stroke=\"#ececec\"/>"));
        out.push("<text class=\"tick y-tick\" x=\"".concat(left - 5, "\" y=\"").concat(r(sy(t) + 4), "\" text-anchor=\"end\" fill=\"#444\">").concat(t, "</text>"));
    }
    out.push('</g>');
    var x0 = xlo <= 0 && 0 <= xhi ? r(sx(0)) : left;
    out.push("<line class=\"axis y-axis\" x1=\"".concat(x0, "\" y1=\"").concat(top, "\" x2=\"").concat(x0, "\" y2=\"").concat(bottom, "\" stroke=\"#888\"/>"));
    out.push("<line class=\"axis x-axis\" x1=\"".concat(left, "\" y1=\"").concat(r(sy(0)), "\" x2=\"").concat(right, "\" y2=\"").concat(r(sy(0)), "\" stroke=\"#888\"/>"));
    out.push("<rect class=\"frame\" x=\"".concat(left, "\" y=\"").concat(top, "\" width=\"").concat(r(right - left), "\" height=\"").concat(r(bottom - top), "\" fill=\"none\" stroke=\"#bbb\"/>"));
    out.push("<text class=\"axis-label\" x=\"".concat(r((left + right) / 2), "\" y=\"").concat(height - 8, "\" text-anchor=\"middle\" fill=\"#222\">x</text>"));
    // The curves: a polyline each, broken where a value is not finite.
    for (var _j = 0, _k = plot.curves; _j < _k.length; _j++) {
        var curve = _k[_j];
        var runs = [[]];
        for (var i = 0; i < curve.ys.length; i++) {
            var y = curve.ys[i];
            if (Number.isFinite(y))
                runs[runs.length - 1].push("".concat(r(sx(plot.xs[i])), ",").concat(r(sy(y))));
            else if (runs[runs.length - 1].length)
                runs.push([]);
        }
        for (var _l = 0, _m = runs.filter(function (points) { return points.length > 0; }); _l < _m.length; _l++) {
            var run = _m[_l];
            out.push("<polyline class=\"curve\" data-label=\"".concat(escapeXml(curve.label), "\" points=\"").concat(run.join(' '), "\" fill=\"none\" stroke=\"").concat(curve.color, "\" stroke-width=\"2\"").concat(curve.dash ? " stroke-dasharray=\"".concat(curve.dash, "\"") : '', " stroke-linejoin=\"round\"/>"));
        }
    }
    out.push('</svg>');
    return "".concat(out.join('\n'), "\n");
}
/** The README's gallery of plots (between `<!-- plots:start -->` and `<!-- plots:end -->`). */
function plotsSection(names, dir) {
    if (dir === void 0) { dir = 'docs/plots'; }
    return __spreadArray([
        '<!-- generated by `npx wasm-activations plot` from the registry; do not edit by hand -->',
        ''
    ], names.map(function (name) { return "<img src=\"".concat(dir, "/").concat(name, ".svg\" alt=\"").concat(name, " and its derivative\" width=\"32%\">"); }), true).join('\n');
}
/** Replaces the README's plots block with {@link plotsSection} of `names`. */
function renderPlotsSection(readme, names) {
    var start = '<!-- plots:start -->';
    var end = '<!-- plots:end -->';
    var from = readme.indexOf(start);
    var to = readme.indexOf(end);
    if (from < 0 || to < from)
        throw new Error("README has no ".concat(start, " \u2026 ").concat(end, " block"));
    return "".concat(readme.slice(0, from + start.length), "\n").concat(plotsSection(names), "\n").concat(readme.slice(to));
}
