// onnxruntime-web (its WebAssembly build, SIMD, one thread) and onnxruntime-node (native CPU
// execution provider, one intra-op thread) on one-node models built in memory. onnxruntime-web
// ignores a preallocated output tensor, so for both one timed call is the ordinary API end to
// end: an ort.Tensor over the Float32Array, `await session.run()`, and the output's data (a new
// Float32Array, copied out of the runtime's memory).
import { join } from 'node:path';
import type { Definition } from '../../src/spec.js';
import { defaults, shapeOf, type Implementation } from '../cases.js';
import type { LoadedPeer, PeerContext } from './index.js';
import { INNER_NAME, INPUT_NAME, OUTPUT_NAME, oneNodeModel, type OneNodeModel } from './onnx-model.js';

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

/** A model for one activation at its default params, and whether it is more than one ONNX op. */
interface PeerModel {
  readonly model: OneNodeModel;
  /** Set for a graph of several ops (what it computes instead of one op), marked in the report. */
  readonly composite?: string;
}

type Params = Record<string, number>;

/**
 * ONNX's ops for our activations, by API name, at the params the benchmark uses (each
 * definition's defaults); undefined where ONNX has no op for them (e.g. softplus with beta != 1).
 * A name missing from the registry is never asked for. Not mapped: ThresholdedRelu (y = x > alpha
 * ? x : 0, not torch's threshold, whose value is free), Clip (relu6, hardtanh: its bounds are
 * inputs, not one activation op), softmin (no op).
 */
const ONNX_OPS: Record<string, (p: Params, shape: readonly number[]) => PeerModel | undefined> = {
  relu: (_, shape) => ({ model: { opType: 'Relu', shape } }),
  leakyRelu: (p, shape) => ({ model: { opType: 'LeakyRelu', attributes: [{ name: 'alpha', float: p.alpha }], shape } }),
  sigmoid: (_, shape) => ({ model: { opType: 'Sigmoid', shape } }),
  tanh: (_, shape) => ({ model: { opType: 'Tanh', shape } }),
  softmax: (_, shape) => ({ model: { opType: 'Softmax', attributes: [{ name: 'axis', int: -1 }], shape } }),
  logSoftmax: (_, shape) => ({ model: { opType: 'LogSoftmax', attributes: [{ name: 'axis', int: -1 }], shape } }),
  elu: (p, shape) => ({ model: { opType: 'Elu', attributes: [{ name: 'alpha', float: p.alpha ?? 1 }], shape } }),
  celu: (p, shape) => ({ model: { opType: 'Celu', attributes: [{ name: 'alpha', float: p.alpha ?? 1 }], shape } }),
  // PyTorch's SELU constants (ONNX's defaults are the same float32 values; given explicitly).
  selu: (_, shape) => ({
    model: { opType: 'Selu', attributes: [{ name: 'alpha', float: 1.6732632423543772 }, { name: 'gamma', float: 1.0507009873554805 }], shape },
  }),
  // ONNX's Softplus is log(1 + e^x): torch's with beta = 1 (its threshold only switches to x
  // where the two agree in float32).
  softplus: (p, shape) => ((p.beta ?? 1) === 1 ? { model: { opType: 'Softplus', shape } } : undefined),
  softsign: (_, shape) => ({ model: { opType: 'Softsign', shape } }),
  // HardSigmoid is max(0, min(1, alpha x + beta)); torch's is x / 6 + 1/2.
  hardsigmoid: (_, shape) => ({ model: { opType: 'HardSigmoid', attributes: [{ name: 'alpha', float: 1 / 6 }, { name: 'beta', float: 0.5 }], shape } }),
  hardswish: (_, shape) => ({ model: { opType: 'HardSwish', shape, opset: 14 } }),
  mish: (_, shape) => ({ model: { opType: 'Mish', shape, opset: 18 } }),
  gelu: (_, shape) => ({ model: { opType: 'Gelu', attributes: [{ name: 'approximate', string: 'none' }], shape, opset: 20 } }),
  // PRelu's slope is a second input: one weight, broadcast (torch's nn.PReLU() default).
  prelu: (p, shape) => {
    const weight = p.weight ?? p.init;
    return weight === undefined ? undefined : { model: { opType: 'PRelu', constants: [{ name: 'slope', dims: [1], values: [weight] }], shape } };
  },
  // Shrink: x < -lambd ? x + bias : x > lambd ? x - bias : 0.
  softshrink: (p, shape) => ({ model: { opType: 'Shrink', attributes: [{ name: 'bias', float: p.lambd }, { name: 'lambd', float: p.lambd }], shape } }),
  hardshrink: (p, shape) => ({ model: { opType: 'Shrink', attributes: [{ name: 'bias', float: 0 }, { name: 'lambd', float: p.lambd }], shape } }),
  // No SiLU op in ONNX: x · Sigmoid(x), two nodes.
  silu: (_, shape) => ({
    model: { opType: 'Sigmoid', shape, then: [{ opType: 'Mul', inputs: [INPUT_NAME, INNER_NAME], output: OUTPUT_NAME }] },
    composite: 'Sigmoid → Mul (2 nodes)',
  }),
};

/** The registry's activation as an ONNX model at its default params (softmax-like along the last axis), if ONNX has it. */
function modelOf(definition: Definition, shape: readonly number[]): PeerModel | undefined {
  const build = Object.hasOwn(ONNX_OPS, definition.name) ? ONNX_OPS[definition.name] : undefined;
  return build?.(defaults(definition), shape);
}

function onnxImplementation(ort: Ort, id: string, label: string, sessionOptions: Record<string, unknown>, native: boolean): Implementation {
  return {
    id,
    label,
    kind: 'peer',
    note: `new ort.Tensor(Float32Array) → await session.run() → output .data: its API end to end${native ? '' : ' (a preallocated output tensor is ignored by onnxruntime-web)'}`,
    supports: (definition) => modelOf(definition, [1]) !== undefined,
    composite: (definition) => modelOf(definition, [1])?.composite,
    async prepare(definition, x) {
      const shape = shapeOf(definition, x.length);
      const session = await ort.InferenceSession.create(oneNodeModel(modelOf(definition, shape)!.model), sessionOptions);
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
