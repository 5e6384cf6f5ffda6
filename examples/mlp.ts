// The tutorial's model, trained: PyTorch's
//   nn.Sequential(nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10), nn.Softmax(dim=1))
// on a batch of 32 random inputs with random labels, with the activations from wasm-activations'
// modules and a plain TypeScript Linear layer. A few steps of SGD on the cross-entropy loss fit
// the batch, so the printed loss goes down. Run it with `npm run example`.
import { pathToFileURL } from 'node:url';
import { backend, ReLU, Softmax } from 'wasm-activations';

/** Seeded uniform numbers in [0, 1) (mulberry32), so every run prints the same. */
export function uniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A fully connected layer, `y = x·Wᵀ + b` over a batch (PyTorch's nn.Linear), in plain TypeScript. */
export class Linear {
  /** Weights, `outFeatures × inFeatures`, row-major. */
  readonly weight: Float32Array;
  readonly bias: Float32Array;
  /** Gradients of the loss, accumulated by backward() until zeroGrad(). */
  readonly weightGrad: Float32Array;
  readonly biasGrad: Float32Array;
  #input: Float32Array | null = null;
  #batch = 0;

  /** PyTorch's initialisation: weights and biases uniform in ±1/√inFeatures. */
  constructor(readonly inFeatures: number, readonly outFeatures: number, random: () => number) {
    const bound = 1 / Math.sqrt(inFeatures);
    this.weight = Float32Array.from({ length: outFeatures * inFeatures }, () => (2 * random() - 1) * bound);
    this.bias = Float32Array.from({ length: outFeatures }, () => (2 * random() - 1) * bound);
    this.weightGrad = new Float32Array(this.weight.length);
    this.biasGrad = new Float32Array(this.bias.length);
  }

  /** `batch × outFeatures` outputs of `batch × inFeatures` inputs; keeps x (not a copy) for backward(). */
  forward(x: Float32Array, batch: number): Float32Array {
    const { inFeatures: nIn, outFeatures: nOut, weight, bias } = this;
    const y = new Float32Array(batch * nOut);
    for (let b = 0; b < batch; b++) {
      for (let o = 0; o < nOut; o++) {
        let sum = bias[o];
        for (let i = 0; i < nIn; i++) sum += x[b * nIn + i] * weight[o * nIn + i];
        y[b * nOut + o] = sum;
      }
    }
    this.#input = x;
    this.#batch = batch;
    return y;
  }

  /** Adds dL/dW = dyᵀ·x and dL/db = Σ dy to the gradients; returns dL/dx = dy·W. */
  backward(dy: Float32Array): Float32Array {
    const x = this.#input;
    if (x === null) throw new Error('Linear.backward() needs a forward() first');
    const { inFeatures: nIn, outFeatures: nOut, weight } = this;
    const dx = new Float32Array(this.#batch * nIn);
    for (let b = 0; b < this.#batch; b++) {
      for (let o = 0; o < nOut; o++) {
        const g = dy[b * nOut + o];
        this.biasGrad[o] += g;
        for (let i = 0; i < nIn; i++) {
          this.weightGrad[o * nIn + i] += g * x[b * nIn + i];
          dx[b * nIn + i] += g * weight[o * nIn + i];
        }
      }
    }
    return dx;
  }

  zeroGrad(): void {
    this.weightGrad.fill(0);
    this.biasGrad.fill(0);
  }

  /** One step of plain SGD. */
  step(learningRate: number): void {
    for (let k = 0; k < this.weight.length; k++) this.weight[k] -= learningRate * this.weightGrad[k];
    for (let k = 0; k < this.bias.length; k++) this.bias[k] -= learningRate * this.biasGrad[k];
  }
}

/** Linear(128, 64) → ReLU → Linear(64, 10) → Softmax(dim=1). */
export class Model {
  readonly fc1: Linear;
  readonly relu = new ReLU();
  readonly fc2: Linear;
  readonly softmax = new Softmax({ dim: 1 });

  constructor(seed = 1) {
    const random = uniform(seed);
    this.fc1 = new Linear(128, 64, random);
    this.fc2 = new Linear(64, 10, random);
  }

  /** Class probabilities, `batch × 10`, of `batch × 128` inputs. */
  forward(x: Float32Array, batch: number): Float32Array {
    const hidden = this.fc1.forward(x, batch);
    this.relu.forward(hidden, { out: hidden }); // in place: the module saved its own copy of x
    const logits = this.fc2.forward(hidden, batch);
    return this.softmax.forward(logits, { shape: [batch, 10] });
  }

  /** Backpropagates dL/dprobabilities into every Linear's gradients. */
  backward(dProbabilities: Float32Array): void {
    const dLogits = this.softmax.backward(dProbabilities);
    const dHidden = this.fc2.backward(dLogits);
    this.relu.backward(dHidden, { out: dHidden });
    this.fc1.backward(dHidden);
  }

  zeroGrad(): void {
    this.fc1.zeroGrad();
    this.fc2.zeroGrad();
  }

  step(learningRate: number): void {
    this.fc1.step(learningRate);
    this.fc2.step(learningRate);
  }
}

/** Mean cross-entropy `−(1/B) Σ_b log p[b, label_b]`, and its gradient with respect to p. */
export function crossEntropy(probabilities: Float32Array, labels: Int32Array, classes: number): { loss: number; grad: Float32Array } {
  const batch = labels.length;
  const grad = new Float32Array(probabilities.length);
  let loss = 0;
  for (let b = 0; b < batch; b++) {
    const p = probabilities[b * classes + labels[b]];
    loss -= Math.log(p) / batch;
    grad[b * classes + labels[b]] = -1 / (batch * p);
  }
  return { loss, grad };
}

/** A batch of `batch × 128` standard-normal inputs (Box–Muller) and random labels in [0, 10). */
export function randomBatch(batch: number, seed = 2): { x: Float32Array; labels: Int32Array } {
  const random = uniform(seed);
  const x = Float32Array.from({ length: batch * 128 }, () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()));
  const labels = Int32Array.from({ length: batch }, () => Math.floor(random() * 10));
  return { x, labels };
}

/** Trains a fresh model on one random batch of 32: the loss before each of `steps` SGD steps, and after the last. */
export function train(steps = 10, learningRate = 0.5): number[] {
  const model = new Model();
  const { x, labels } = randomBatch(32);
  const losses: number[] = [];
  for (let step = 0; step <= steps; step++) {
    const probabilities = model.forward(x, 32);
    const { loss, grad } = crossEntropy(probabilities, labels, 10);
    losses.push(loss);
    if (step === steps) break;
    model.zeroGrad();
    model.backward(grad);
    model.step(learningRate);
  }
  return losses;
}

function main(): void {
  const losses = train();
  console.log(`Linear(128, 64) → ReLU → Linear(64, 10) → Softmax(dim=1), a batch of 32, SGD, activations on ${backend()}`);
  losses.forEach((loss, step) => console.log(`step ${String(step).padStart(2)}  loss ${loss.toFixed(4)}`));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
