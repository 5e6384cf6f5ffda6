// A progress bar on stderr, written here so the package keeps zero runtime dependencies:
//   [██████████░░░░░░░░░░]  48%  54/113  sigmoid @ 64Ki on naive, js, wasm-scalar, wasm-s…  ETA 0:41
// (an item is a task of the benchmark: a warm-up, or a comparison group timed in rounds)
// Drawn in place only when the stream is a terminal; otherwise one plain line per step the
// caller marks (e.g. per size), or nothing.

/** What the bar needs of a stream (process.stderr, or a fake in tests). */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** The state drawn: work done and total (in any unit, e.g. estimated seconds), the current item. */
export interface ProgressState {
  readonly done: number;
  readonly total: number;
  readonly label: string;
  /** Items finished and planned, shown as "54/113". */
  readonly count: number;
  readonly of: number;
  /** Seconds left, or undefined before there is anything to estimate from. */
  readonly etaSeconds?: number;
}

/** 75 -> "1:15", 3725 -> "1:02:05". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** One line of the bar, at most `width` characters (the label is cut to fit). */
export function renderProgress(state: ProgressState, width: number): string {
  const fraction = state.total > 0 ? Math.min(1, Math.max(0, state.done / state.total)) : 0;
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
  const count = `${state.count}/${state.of}`;
  const eta = `ETA ${state.etaSeconds === undefined ? '-:--' : formatDuration(state.etaSeconds)}`;
  const barWidth = Math.max(10, Math.min(30, width - 60));
  const filled = Math.round(fraction * barWidth);
  const bar = `[${'█'.repeat(filled)}${'░'.repeat(barWidth - filled)}]`;
  const fixed = `${bar} ${percent}  ${count}  `;
  const room = width - fixed.length - eta.length - 2;
  const label = room <= 0 ? '' : state.label.length > room ? `${state.label.slice(0, Math.max(0, room - 1))}…` : state.label.padEnd(room);
  return `${fixed}${label}  ${eta}`.slice(0, width);
}

/**
 * A bar over weighted items: `start(label, weight)` before an item, `finish()` after it. The
 * ETA is the elapsed time per unit of weight done times the weight left.
 */
export class ProgressBar {
  private done = 0;
  private count = 0;
  private label = '';
  private readonly started: number;
  private drawn = false;

  constructor(
    private readonly stream: ProgressStream,
    private readonly total: number,
    private readonly of: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.started = now();
  }

  /** Whether the bar is drawn in place (a terminal) rather than as plain lines. */
  get live(): boolean {
    return this.stream.isTTY === true;
  }

  /** The state now, with the ETA from the rate so far. */
  state(): ProgressState {
    const elapsed = (this.now() - this.started) / 1000;
    const etaSeconds = this.done > 0 ? (elapsed / this.done) * (this.total - this.done) : undefined;
    return { done: this.done, total: this.total, label: this.label, count: this.count, of: this.of, etaSeconds };
  }

  /** An item starts: redraw with its label. */
  start(label: string): void {
    this.label = label;
    this.draw();
  }

  /** The current item is done; it weighed `weight`. */
  finish(weight: number): void {
    this.done += weight;
    this.count++;
    this.draw();
  }

  /** A plain line: above the bar on a terminal, else on its own (e.g. "64Ki done"). */
  log(line: string): void {
    if (this.live) {
      this.clear();
      this.stream.write(`${line}\n`);
      this.draw();
    } else {
      this.stream.write(`${line}\n`);
    }
  }

  /** Removes the bar (before the report goes to stdout). */
  clear(): void {
    if (this.live && this.drawn) this.stream.write('\r\x1b[2K');
    this.drawn = false;
  }

  private draw(): void {
    if (!this.live) return;
    const width = Math.max(40, (this.stream.columns ?? 100) - 1);
    this.stream.write(`\r\x1b[2K${renderProgress(this.state(), width)}`);
    this.drawn = true;
  }
}
