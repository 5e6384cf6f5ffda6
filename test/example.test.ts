// The example (examples/mlp.ts): `npm run example` compiles and runs it and the printed loss goes
// down; its gradients, backpropagated through the Softmax and ReLU modules into the Linear
// weights, match central finite differences of the loss.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { crossEntropy, Model, randomBatch, type Linear } from '../examples/mlp.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The loss of `model` on the batch, in float64 from the float32 probabilities. */
function lossOf(model: Model, x: Float32Array, labels: Int32Array): number {
  return crossEntropy(model.forward(x, labels.length), labels, 10).loss;
}

/** Of the indices `usable` accepts, the `k` of the largest magnitudes in `values` and `k` more spread over the array. */
function probes(values: Float32Array, k: number, usable: (index: number) => boolean): number[] {
  const candidates = [...values.keys()].filter(usable);
  const byMagnitude = [...candidates].sort((a, b) => Math.abs(values[b]) - Math.abs(values[a])).slice(0, k);
  const spread = Array.from({ length: k }, (_, j) => candidates[Math.floor(((j + 0.5) * candidates.length) / k)]);
  return [...new Set([...byMagnitude, ...spread])];
}

describe('examples/mlp.ts', () => {
  it('`npm run example` prints a loss that goes down at every step, from about ln 10', () => {
    const output = execFileSync('npm', ['run', '--silent', 'example'], { cwd: root, encoding: 'utf8' });
    const losses = [...output.matchAll(/^step +\d+ +loss (\d+\.\d+)$/gm)].map((m) => Number(m[1]));
    expect(output).toContain('activations on wasm-simd');
    expect(losses.length).toBe(11);
    expect(Math.abs(losses[0] - Math.log(10))).toBeLessThan(0.3); // random init: near-uniform probabilities
    for (let i = 1; i < losses.length; i++) expect(losses[i], `step ${i}`).toBeLessThan(losses[i - 1]);
    expect(losses[losses.length - 1]).toBeLessThan(0.5 * losses[0]);
  });

  it('backward() gives the gradients of central finite differences, in every Linear weight and bias', () => {
    const model = new Model(7);
    const { x, labels } = randomBatch(32, 8);
    const { grad } = crossEntropy(model.forward(x, 32), labels, 10);
    model.zeroGrad();
    model.backward(grad);
    const h = 2 ** -8;
    // ReLU has a kink at 0: a difference quotient across it measures neither side. Probe only the
    // fc1 weights and biases whose ±h moves no pre-activation of their unit across 0.
    const pre = model.fc1.forward(x, 32);
    const clearOfKink = (unit: number, shift: (b: number) => number): boolean => {
      for (let b = 0; b < 32; b++) if (Math.abs(pre[b * 64 + unit]) <= 2 * shift(b)) return false;
      return true;
    };
    const usable = {
      fc1: {
        weight: (k: number) => clearOfKink(Math.floor(k / 128), (b) => h * Math.abs(x[b * 128 + (k % 128)])),
        bias: (k: number) => clearOfKink(k, () => h),
      },
      fc2: { weight: () => true, bias: () => true },
    };
    const layers: ['fc1' | 'fc2', Linear][] = [['fc1', model.fc1], ['fc2', model.fc2]];
    let checked = 0;
    for (const [name, layer] of layers) {
      for (const [part, values, gradients] of [
        ['weight', layer.weight, layer.weightGrad], ['bias', layer.bias, layer.biasGrad],
      ] as const) {
        const scale = Math.max(...gradients.map(Math.abs));
        for (const k of probes(gradients, 4, usable[name][part])) {
          const original = values[k];
          values[k] = original + h;
          const plus = lossOf(model, x, labels);
          values[k] = original - h;
          const minus = lossOf(model, x, labels);
          values[k] = original;
          const numeric = (plus - minus) / (2 * h);
          // Float32 rounding of the loss (~1e-7) over 2h, and h² terms: within 0.2% of the layer's largest gradient (measured ≤ 1e-4).
          expect(Math.abs(gradients[k] - numeric), `${name}.${part}[${k}] = ${gradients[k]}, finite differences ${numeric}`)
            .toBeLessThanOrEqual(0.002 * scale);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(24);
  });
});
