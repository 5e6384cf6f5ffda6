"use strict";
// A progress bar on stderr, written here so the package keeps zero runtime dependencies:
//   [██████████░░░░░░░░░░]  48%  54/113  sigmoid @ 64Ki on wasm-simd  ETA 0:41
// Drawn in place only when the stream is a terminal; otherwise one plain line per step the
// caller marks (e.g. per size), or nothing.
Object.defineProperty(exports, "__esModule", { value: true });
exports.ProgressBar = void 0;
exports.formatDuration = formatDuration;
exports.renderProgress = renderProgress;
/** 75 -> "1:15", 3725 -> "1:02:05". */
function formatDuration(seconds) {
    var s = Math.max(0, Math.round(seconds));
    var h = Math.floor(s / 3600);
    var m = Math.floor((s % 3600) / 60);
    var ss = String(s % 60).padStart(2, '0');
    return h ? "".concat(h, ":").concat(String(m).padStart(2, '0'), ":").concat(ss) : "".concat(m, ":").concat(ss);
}
/** One line of the bar, at most `width` characters (the label is cut to fit). */
function renderProgress(state, width) {
    var fraction = state.total > 0 ? Math.min(1, Math.max(0, state.done / state.total)) : 0;
    var percent = "".concat(Math.floor(fraction * 100), "%").padStart(4);
    var count = "".concat(state.count, "/").concat(state.of);
    var eta = "ETA ".concat(state.etaSeconds === undefined ? '-:--' : formatDuration(state.etaSeconds));
    var barWidth = Math.max(10, Math.min(30, width - 60));
    var filled = Math.round(fraction * barWidth);
    var bar = "[".concat('█'.repeat(filled)).concat('░'.repeat(barWidth - filled), "]");
    var fixed = "".concat(bar, " ").concat(percent, "  ").concat(count, "  ");
    var room = width - fixed.length - eta.length - 2;
    var label = room <= 0 ? '' : state.label.length > room ? "".concat(state.label.slice(0, Math.max(0, room - 1)), "\u2026") : state.label.padEnd(room);
    return "".concat(fixed).concat(label, "  ").concat(eta).slice(0, width);
}
/**
 * A bar over weighted items: `start(label, weight)` before an item, `finish()` after it. The
 * ETA is the elapsed time per unit of weight done times the weight left.
 */
var ProgressBar = /** @class */ (function () {
    function ProgressBar(stream, total, of, now) {
        if (now === void 0) { now = function () { return performance.now(); }; }
        this.stream = stream;
        this.total = total;
        this.of = of;
        this.now = now;
        this.done = 0;
        this.count = 0;
        this.label = '';
        this.drawn = false;
        this.started = now();
    }
    Object.defineProperty(ProgressBar.prototype, "live", {
        /** Whether the bar is drawn in place (a terminal) rather than as plain lines. */
        get: function () {
            return this.stream.isTTY === true;
        },
        enumerable: false,
        configurable: true
    });
    /** The state now, with the ETA from the rate so far. */
    ProgressBar.prototype.state = function () {
        var elapsed = (this.now() - this.started) / 1000;
        var etaSeconds = this.done > 0 ? (elapsed / this.done) * (this.total - this.done) : undefined;
        return { done: this.done, total: this.total, label: this.label, count: this.count, of: this.of, etaSeconds: etaSeconds };
    };
    /** An item starts: redraw with its label. */
    ProgressBar.prototype.start = function (label) {
        this.label = label;
        this.draw();
    };
    /** The current item is done; it weighed `weight`. */
    ProgressBar.prototype.finish = function (weight) {
        this.done += weight;
        this.count++;
        this.draw();
    };
    /** A plain line: above the bar on a terminal, else on its own (e.g. "64Ki done"). */
    ProgressBar.prototype.log = function (line) {
        if (this.live) {
            this.clear();
            this.stream.write("".concat(line, "\n"));
            this.draw();
        }
        else {
            this.stream.write("".concat(line, "\n"));
        }
    };
    /** Removes the bar (before the report goes to stdout). */
    ProgressBar.prototype.clear = function () {
        if (this.live && this.drawn)
            this.stream.write('\r\x1b[2K');
        this.drawn = false;
    };
    ProgressBar.prototype.draw = function () {
        var _a;
        if (!this.live)
            return;
        var width = Math.max(40, ((_a = this.stream.columns) !== null && _a !== void 0 ? _a : 100) - 1);
        this.stream.write("\r\u001B[2K".concat(renderProgress(this.state(), width)));
        this.drawn = true;
    };
    return ProgressBar;
}());
exports.ProgressBar = ProgressBar;
