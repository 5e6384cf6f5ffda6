// TensorFlow.js on its WebAssembly backend (XNNPACK kernels), SIMD build, one thread, its .wasm
// files read from bench/peers/node_modules. tfjs has no preallocated output: one timed call is
// its ordinary API end to end — a tensor from the Float32Array (copied into wasm memory), the
// op, dataSync() (copied back out into a new Float32Array) and dispose() of both tensors.
import { join } from 'node:path';
import type { Definition } from '../../src/spec.js';
import { defaults, shapeOf, type Implementation } from '../cases.js';
import type { LoadedPeer, PeerContext } from './index.js';

/** The part of a tfjs tensor used here. */
interface TfTensor {
  dataSync(): Float32Array;
  dispose(): void;
}

/** The part of @tensorflow/tfjs-core used here. */
interface TfCore {
  tensor(values: Float32Array, shape: number[], dtype: 'float32'): TfTensor;
  relu(x: TfTensor): TfTensor;
  leakyRelu(x: TfTensor, alpha: number): TfTensor;
  sigmoid(x: TfTensor): TfTensor;
  tanh(x: TfTensor): TfTensor;
  softmax(x: TfTensor, dim?: number): TfTensor;
  logSoftmax(x: TfTensor, axis?: number): TfTensor;
  elu(x: TfTensor): TfTensor;
  selu(x: TfTensor): TfTensor;
  softplus(x: TfTensor): TfTensor;
  relu6(x: TfTensor): TfTensor;
  prelu(x: TfTensor, alpha: TfTensor): TfTensor;
  logSigmoid(x: TfTensor): TfTensor;
  scalar(value: number, dtype: 'float32'): TfTensor;
  setBackend(name: string): Promise<boolean>;
  ready(): Promise<void>;
  getBackend(): string;
  env(): { getAsync(flag: string): Promise<unknown> };
  version_core: string;
}

/** The part of @tensorflow/tfjs-backend-wasm used here. */
interface TfWasm {
  setWasmPaths(paths: Record<string, string>): void;
  setThreadsCount(threads: number): void;
  getThreadsCount(): number;
  version_wasm: string;
}

/** One activation in tfjs: the op, and what it runs when that is not one kernel. */
interface TfOp {
  readonly run: (tf: TfCore, x: TfTensor, params: Record<string, number>) => TfTensor;
  /** The params tfjs can express (its elu has alpha = 1 only); default: any. */
  readonly accepts?: (params: Record<string, number>) => boolean;
  /** Set for an op that tfjs-core builds from several kernels, marked in the report. */
  readonly composite?: string;
}

/**
 * The ops, by our API name, at the params the benchmark uses (softmax-like along the last
 * dimension, as our rows). Each single op has a kernel of its own in tfjs-backend-wasm 4.22
 * (Relu, LeakyRelu, Sigmoid, Tanh, Softmax, Elu, Selu, Softplus, Relu6, Prelu: its
 * dist/kernels/); tfjs has no fallback to another backend, so every cell is a wasm measurement.
 * Not mapped: hardsigmoid, hardswish, softsign, the shrinks, gelu, mish, silu (no op in tfjs).
 */
const OPS: Record<string, TfOp> = {
  relu: { run: (tf, x) => tf.relu(x) },
  leakyRelu: { run: (tf, x, { alpha }) => tf.leakyRelu(x, alpha) },
  sigmoid: { run: (tf, x) => tf.sigmoid(x) },
  tanh: { run: (tf, x) => tf.tanh(x) },
  softmax: { run: (tf, x) => tf.softmax(x, -1) },
  relu6: { run: (tf, x) => tf.relu6(x) },
  elu: { run: (tf, x) => tf.elu(x), accepts: (p) => (p.alpha ?? 1) === 1 },
  selu: { run: (tf, x) => tf.selu(x) },
  softplus: { run: (tf, x) => tf.softplus(x), accepts: (p) => (p.beta ?? 1) === 1 },
  prelu: {
    run: (tf, x, p) => {
      const alpha = tf.scalar(p.weight ?? p.init, 'float32');
      const y = tf.prelu(x, alpha);
      alpha.dispose();
      return y;
    },
    accepts: (p) => (p.weight ?? p.init) !== undefined,
  },
  logSoftmax: { run: (tf, x) => tf.logSoftmax(x, -1), composite: 'tfjs-core composes it: Max, Sub, Exp, Sum, Log, Sub' },
  logsigmoid: { run: (tf, x) => tf.logSigmoid(x), composite: 'tfjs-core composes it: Neg → Softplus → Neg' },
};
OPS.logSigmoid = OPS.logsigmoid;

/** The op of a definition at its default params, if tfjs has it. */
function opOf(definition: Definition): TfOp | undefined {
  const op = Object.hasOwn(OPS, definition.name) ? OPS[definition.name] : undefined;
  return op && (!op.accepts || op.accepts(defaults(definition))) ? op : undefined;
}

/** Loads tfjs-core with the wasm backend (SIMD, one thread) and returns it as an implementation. */
export async function loadTfjs(peers: PeerContext): Promise<LoadedPeer> {
  const tf = peers.require('@tensorflow/tfjs-core') as TfCore;
  const wasm = peers.require('@tensorflow/tfjs-backend-wasm') as TfWasm;
  // Every .wasm file of the package by name, from its own dist folder (no fetch, no CDN).
  const dist = join(peers.packageDir('@tensorflow/tfjs-backend-wasm'), 'dist');
  wasm.setWasmPaths(Object.fromEntries(
    ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'].map((f) => [f, join(dist, f)]),
  ));
  wasm.setThreadsCount(1);
  if (!(await tf.setBackend('wasm'))) throw new Error('tfjs: the wasm backend failed to initialise');
  await tf.ready();
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  const threads = (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) === true;
  if (!simd) throw new Error('tfjs: WASM_HAS_SIMD_SUPPORT is false here; the benchmark compares SIMD builds');
  const implementation: Implementation = {
    id: 'tfjs-wasm',
    label: `tfjs-backend-wasm ${wasm.version_wasm} (SIMD, 1 thread)`,
    kind: 'peer',
    note: 'tf.tensor(Float32Array) → op → dataSync() → dispose(): its API end to end (no preallocated output in tfjs)',
    supports: (definition: Definition) => opOf(definition) !== undefined,
    composite: (definition: Definition) => opOf(definition)?.composite,
    prepare(definition, x) {
      const op = opOf(definition)!;
      const shape = shapeOf(definition, x.length);
      const params = defaults(definition);
      let output: Float32Array = new Float32Array(0);
      return {
        get output() {
          return output;
        },
        run() {
          const input = tf.tensor(x, shape, 'float32');
          const result = op.run(tf, input, params);
          output = result.dataSync();
          input.dispose();
          result.dispose();
        },
      };
    },
  };
  return {
    implementation,
    versions: { '@tensorflow/tfjs-core': tf.version_core, '@tensorflow/tfjs-backend-wasm': wasm.version_wasm },
    // In Node, tfjs-backend-wasm never uses threads (WASM_HAS_MULTITHREAD_SUPPORT is false there), so
    // with SIMD it loads tfjs-backend-wasm-simd.wasm.
    settings: { backend: tf.getBackend(), simd, multithreadSupport: threads, threadsCount: wasm.getThreadsCount(), wasmFile: threads ? 'tfjs-backend-wasm-threaded-simd.wasm' : 'tfjs-backend-wasm-simd.wasm' },
  };
}
