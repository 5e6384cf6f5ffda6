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

type Op = (tf: TfCore, x: TfTensor, params: Record<string, number>) => TfTensor;

/** The registry's activations as tfjs ops (softmax over the last dimension, as our rows). */
const OPS: Record<string, Op> = {
  relu: (tf, x) => tf.relu(x),
  leakyRelu: (tf, x, { alpha }) => tf.leakyRelu(x, alpha),
  sigmoid: (tf, x) => tf.sigmoid(x),
  tanh: (tf, x) => tf.tanh(x),
  softmax: (tf, x) => tf.softmax(x, -1),
};

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
    supports: (definition: Definition) => definition.name in OPS,
    prepare(definition, x) {
      const op = OPS[definition.name];
      const shape = shapeOf(definition, x.length);
      const params = defaults(definition);
      let output: Float32Array = new Float32Array(0);
      return {
        get output() {
          return output;
        },
        run() {
          const input = tf.tensor(x, shape, 'float32');
          const result = op(tf, input, params);
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
