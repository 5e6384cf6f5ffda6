// onnxruntime-web (its WebAssembly build, SIMD, one thread) and onnxruntime-node (native CPU
// execution provider, one intra-op thread) on one-node models built in memory. onnxruntime-web
// ignores a preallocated output tensor, so for both one timed call is the ordinary API end to
// end: an ort.Tensor over the Float32Array, `await session.run()`, and the output's data (a new
// Float32Array, copied out of the runtime's memory).
import { join } from 'node:path';
import type { Definition } from '../../src/spec.js';
import { defaults, shapeOf, type Implementation } from '../cases.js';
import type { LoadedPeer, PeerContext } from './index.js';
import { INPUT_NAME, OUTPUT_NAME, oneNodeModel, type OneNodeModel } from './onnx-model.js';

/** The part of onnxruntime's Tensor used here. */
interface OrtTensor {
  readonly data: unknown;
  dispose?(): void;
}

/** The part of onnxruntime's InferenceSession used here. */
interface OrtSession {
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
  /** Internal: the backend's session handler (checked, see nativeHandler). */
  readonly handler?: object;
}

/** The class name of onnxruntime-node's session handler (its dist is not minified). */
const NATIVE_HANDLER = 'OnnxruntimeSessionHandler';

/**
 * Whether a session runs on onnxruntime-node's native binding. Both packages share one
 * onnxruntime-common and its backend registry, where the first package to register 'cpu' keeps
 * it (a higher priority registered later does not replace it): onnxruntime-node must load first,
 * and every session is checked, so that no row is timed on the wrong runtime.
 */
function nativeHandler(session: OrtSession): boolean {
  return session.handler?.constructor?.name === NATIVE_HANDLER;
}

/** The part of onnxruntime-web / onnxruntime-node used here (both re-export onnxruntime-common). */
interface Ort {
  Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => OrtTensor;
  InferenceSession: { create(model: Uint8Array, options: Record<string, unknown>): Promise<OrtSession> };
  env: {
    versions: Record<string, string>;
    wasm: { numThreads?: number; simd?: boolean; proxy?: boolean; wasmPaths?: string };
    logLevel?: string;
  };
}

/** The registry's activations as one-node models (opset 13: Softmax along one axis, the last). */
function modelOf(definition: Definition, shape: readonly number[]): OneNodeModel | undefined {
  const params = defaults(definition);
  switch (definition.name) {
    case 'relu': return { opType: 'Relu', shape };
    case 'leakyRelu': return { opType: 'LeakyRelu', attributes: [{ name: 'alpha', float: params.alpha }], shape };
    case 'sigmoid': return { opType: 'Sigmoid', shape };
    case 'tanh': return { opType: 'Tanh', shape };
    case 'softmax': return { opType: 'Softmax', attributes: [{ name: 'axis', int: -1 }], shape };
    default: return undefined;
  }
}

function onnxImplementation(ort: Ort, id: string, label: string, sessionOptions: Record<string, unknown>, native: boolean): Implementation {
  return {
    id,
    label,
    kind: 'peer',
    note: `new ort.Tensor(Float32Array) → await session.run() → output .data: its API end to end${native ? '' : ' (a preallocated output tensor is ignored by onnxruntime-web)'}`,
    supports: (definition) => modelOf(definition, [1]) !== undefined,
    async prepare(definition, x) {
      const shape = shapeOf(definition, x.length);
      const session = await ort.InferenceSession.create(oneNodeModel(modelOf(definition, shape)!), sessionOptions);
      if (nativeHandler(session) !== native) {
        await session.release();
        throw new Error(`${id}: the session runs on ${native ? 'onnxruntime-web, not the native binding' : 'the native binding, not wasm'}`);
      }
      let output: Float32Array = new Float32Array(0);
      return {
        get output() {
          return output;
        },
        async runAsync() {
          const results = await session.run({ [INPUT_NAME]: new ort.Tensor('float32', x, shape) });
          output = results[OUTPUT_NAME].data as Float32Array;
        },
        dispose: () => session.release(),
      };
    },
  };
}

/** onnxruntime-web's wasm backend in this process: SIMD build, numThreads = 1 (no workers), no proxy. */
export async function loadOrtWeb(peers: PeerContext): Promise<LoadedPeer> {
  const ort = peers.require('onnxruntime-web') as Ort;
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.simd = true;
  ort.env.wasm.proxy = false;
  // Its .wasm and .mjs from its own dist folder (a file path prefix; no fetch).
  ort.env.wasm.wasmPaths = `${join(peers.packageDir('onnxruntime-web'), 'dist')}/`;
  ort.env.logLevel = 'error';
  const version = ort.env.versions.web ?? peers.version('onnxruntime-web');
  return {
    implementation: onnxImplementation(ort, 'ort-web', `onnxruntime-web ${version} (wasm SIMD, 1 thread)`, {
      executionProviders: ['wasm'],
      graphOptimizationLevel: 'all',
    }, false),
    versions: { 'onnxruntime-web': version },
    settings: { executionProviders: ['wasm'], numThreads: 1, simd: true, proxy: false },
  };
}

/** onnxruntime-node: the native CPU execution provider, intraOpNumThreads = interOpNumThreads = 1. */
export async function loadOrtNode(peers: PeerContext): Promise<LoadedPeer> {
  const ort = peers.require('onnxruntime-node') as Ort;
  ort.env.logLevel = 'error';
  const version = ort.env.versions.node ?? peers.version('onnxruntime-node');
  const options = {
    executionProviders: ['cpu'],
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  };
  return {
    implementation: onnxImplementation(ort, 'ort-node', `onnxruntime-node ${version} (native CPU, 1 thread)`, options, true),
    versions: { 'onnxruntime-node': version },
    settings: options,
  };
}
