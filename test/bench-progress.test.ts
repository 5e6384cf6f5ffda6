// The benchmark's progress bar (bench/progress.ts): its line, its ETA, and that it draws in
// place only on a terminal.
import { describe, expect, it } from 'vitest';
import { formatDuration, ProgressBar, renderProgress, type ProgressStream } from '../bench/progress.js';

function stream(isTTY: boolean): ProgressStream & { text: string } {
  return {
    isTTY,
    columns: 100,
    text: '',
    write(chunk: string) {
      this.text += chunk;
      return true;
    },
  };
}

describe('renderProgress', () => {
  it('shows the bar, the percentage, the count, the current cell and the ETA', () => {
    const line = renderProgress({ done: 48, total: 100, label: 'sigmoid @ 64Ki on wasm-simd', count: 54, of: 113, etaSeconds: 41 }, 100);
    expect(line).toMatch(/^\[█+░+\]  48%  54\/113  sigmoid @ 64Ki on wasm-simd +ETA 0:41$/);
    expect([...line].length).toBeLessThanOrEqual(100);
  });

  it('fits any width, cutting the label', () => {
    const state = { done: 1, total: 3, label: 'x'.repeat(200), count: 1, of: 3, etaSeconds: 3725 };
    for (const width of [40, 60, 80, 120]) {
      const line = renderProgress(state, width);
      expect([...line].length).toBeLessThanOrEqual(width);
      expect(line).toContain('33%');
    }
    expect(renderProgress(state, 120)).toContain('…');
    expect(renderProgress(state, 120)).toContain('ETA 1:02:05');
  });

  it('is empty at the start, full at the end, with no ETA before any work', () => {
    expect(renderProgress({ done: 0, total: 10, label: '', count: 0, of: 5 }, 80)).toContain('  0%');
    expect(renderProgress({ done: 0, total: 10, label: '', count: 0, of: 5 }, 80)).toContain('ETA -:--');
    const full = renderProgress({ done: 10, total: 10, label: '', count: 5, of: 5, etaSeconds: 0 }, 80);
    expect(full).toContain('100%');
    expect(full).not.toContain('░');
  });

  it('formats durations', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(75)).toBe('1:15');
    expect(formatDuration(3725)).toBe('1:02:05');
  });
});

describe('ProgressBar', () => {
  it('on a terminal, redraws one line in place and estimates the time left from the rate', () => {
    let now = 0;
    const out = stream(true);
    const bar = new ProgressBar(out, 10, 4, () => now);
    bar.start('first');
    now = 2000;
    bar.finish(2.5); // a quarter of the weight in 2 s: 6 s left
    expect(bar.state().etaSeconds).toBeCloseTo(6, 9);
    expect(out.text).toContain('\r');
    expect(out.text).not.toContain('\n');
    expect(out.text).toContain('ETA 0:06');
    bar.log('64Ki done');
    expect(out.text).toContain('64Ki done\n');
    bar.clear();
    expect(out.text.endsWith('\r\x1b[2K')).toBe(true);
  });

  it('elsewhere (a pipe, CI), draws nothing and prints only the lines it is given', () => {
    const out = stream(false);
    const bar = new ProgressBar(out, 2, 2, () => 0);
    bar.start('a');
    bar.finish(1);
    bar.log('done: 4Ki');
    bar.clear();
    expect(out.text).toBe('done: 4Ki\n');
  });
});
