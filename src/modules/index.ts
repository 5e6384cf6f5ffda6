// The modules, torch.nn style: one class per activation, by PyTorch's class name. Each line
// maps a registry name to its class; adding an activation's module is one more line (with its
// one-line JSDoc and an example). PReLU, which owns a learnable weight, is a class of its own
// extending ElementwiseModule (see base.ts and prelu.ts).
import { activationModule } from './base.js';

/**
 * ReLU, `max(0, x)`, as a module (torch.nn.ReLU); backward from the saved x.
 * @example const act = new ReLU(); const y = act.forward(x); const dx = act.backward(dy);
 */
export class ReLU extends activationModule('relu', 'ReLU') {}

/**
 * Leaky ReLU, `x > 0 ? x : alpha·x`, as a module (torch.nn.LeakyReLU; alpha is negative_slope, default 0.01).
 * @example const act = new LeakyReLU({ alpha: 0.2 }); act.forward([-1, 2]); // Float32Array [-0.2, 2]
 */
export class LeakyReLU extends activationModule('leakyRelu', 'LeakyReLU') {}

/**
 * Logistic sigmoid, `1 / (1 + e^-x)`, as a module (torch.nn.Sigmoid); backward from the saved x.
 * @example new Sigmoid().forward([0]); // Float32Array [0.5]
 */
export class Sigmoid extends activationModule('sigmoid', 'Sigmoid') {}

/**
 * Hyperbolic tangent as a module (torch.nn.Tanh); backward from the saved x.
 * @example new Tanh().forward([0, 1]); // Float32Array [0, 0.7615942]
 */
export class Tanh extends activationModule('tanh', 'Tanh') {}

/**
 * Softmax along `dim` (default -1) as a module (torch.nn.Softmax); each forward() gives its `shape`; backward from the saved y.
 * @example const sm = new Softmax({ dim: 1 }); const p = sm.forward(logits, { shape: [32, 10] }); const dLogits = sm.backward(dp);
 */
export class Softmax extends activationModule('softmax', 'Softmax') {}

/**
 * Log-softmax along `dim` (default -1) as a module (torch.nn.LogSoftmax); each forward() gives its `shape`; backward from the saved y.
 * @example const ls = new LogSoftmax({ dim: 1 }); const logp = ls.forward(logits, { shape: [32, 10] }); const dLogits = ls.backward(dLogp);
 */
export class LogSoftmax extends activationModule('logSoftmax', 'LogSoftmax') {}

/**
 * Softmin, softmax(−x), along `dim` (default -1) as a module (torch.nn.Softmin); backward from the saved y.
 * @example new Softmin().forward([1, 2, 3]); // Float32Array [0.66524094, 0.24472848, 0.09003057]
 */
export class Softmin extends activationModule('softmin', 'Softmin') {}

/**
 * Hardtanh, `min(max(x, minVal), maxVal)`, as a module (torch.nn.Hardtanh; min_val, max_val → minVal, maxVal).
 * @example new Hardtanh({ minVal: -2, maxVal: 2 }).forward([-3, 1, 3]); // Float32Array [-2, 1, 2]
 */
export class Hardtanh extends activationModule('hardtanh', 'Hardtanh') {}

/**
 * ReLU6, `min(max(x, 0), 6)`, as a module (torch.nn.ReLU6).
 * @example new ReLU6().forward([-1, 3, 7]); // Float32Array [0, 3, 6]
 */
export class ReLU6 extends activationModule('relu6', 'ReLU6') {}

/**
 * Hardsigmoid, `clamp(x / 6 + 1/2, 0, 1)`, as a module (torch.nn.Hardsigmoid).
 * @example new Hardsigmoid().forward([-4, 0, 4]); // Float32Array [0, 0.5, 1]
 */
export class Hardsigmoid extends activationModule('hardsigmoid', 'Hardsigmoid') {}

/**
 * Hardswish, `x · hardsigmoid(x)`, as a module (torch.nn.Hardswish).
 * @example new Hardswish().forward([-4, 1, 4]); // Float32Array [0, 0.6666667, 4]
 */
export class Hardswish extends activationModule('hardswish', 'Hardswish') {}

/**
 * Softsign, `x / (1 + |x|)`, as a module (torch.nn.Softsign).
 * @example new Softsign().forward([-1, 3]); // Float32Array [-0.5, 0.75]
 */
export class Softsign extends activationModule('softsign', 'Softsign') {}

/**
 * Softshrink, `x ∓ lambd` outside [-lambd, lambd] and 0 inside, as a module (torch.nn.Softshrink; lambd ≥ 0, default 0.5).
 * @example new Softshrink({ lambd: 1 }).forward([-2, 0.5, 2]); // Float32Array [-1, 0, 1]
 */
export class Softshrink extends activationModule('softshrink', 'Softshrink') {}

/**
 * Hardshrink, `|x| > lambd ? x : 0`, as a module (torch.nn.Hardshrink; lambd ≥ 0, default 0.5).
 * @example new Hardshrink().forward([-2, 0.25, 2]); // Float32Array [-2, 0, 2]
 */
export class Hardshrink extends activationModule('hardshrink', 'Hardshrink') {}

/**
 * Threshold, `x > threshold ? x : value`, as a module (torch.nn.Threshold; both params required).
 * @example new Threshold({ threshold: 0.5, value: -9 }).forward([-1, 2]); // Float32Array [-9, 2]
 */
export class Threshold extends activationModule('threshold', 'Threshold') {}

/**
 * PReLU, `x > 0 ? x : weight[c]·x`, as a module with its learnable weight (torch.nn.PReLU;
 * num_parameters, init → numParameters, init); backward() adds into weightGrad (see zeroGrad()).
 * @example const act = new PReLU({ numParameters: 3 }); act.forward(x, { shape: [n, 3] }); act.backward(dy); act.weightGrad;
 */
export { PReLU, type PReLUOptions, type PReLUForwardOptions } from './prelu.js';

/**
 * ELU, `x > 0 ? x : alpha·(e^x − 1)`, as a module (torch.nn.ELU; alpha default 1).
 * @example new ELU().forward([-1, 2]); // Float32Array [-0.63212055, 2]
 */
export class ELU extends activationModule('elu', 'ELU') {}

/**
 * SELU, `scale·(max(0, x) + min(0, alpha·(e^x − 1)))`, as a module (torch.nn.SELU).
 * @example new SELU().forward([0, 1]); // Float32Array [0, 1.050701]
 */
export class SELU extends activationModule('selu', 'SELU') {}

/**
 * CELU, `max(0, x) + min(0, alpha·(e^(x/alpha) − 1))`, as a module (torch.nn.CELU; alpha default 1, nonzero).
 * @example new CELU({ alpha: 0.5 }).forward([-1, 2]); // Float32Array [-0.43233237, 2]
 */
export class CELU extends activationModule('celu', 'CELU') {}

/**
 * SiLU (swish), `x·sigmoid(x)`, as a module (torch.nn.SiLU).
 * @example new SiLU().forward([0, 1]); // Float32Array [0, 0.7310586]
 */
export class SiLU extends activationModule('silu', 'SiLU') {}

/**
 * Softplus, `log(1 + e^(beta·x)) / beta` (x itself above `threshold`), as a module (torch.nn.Softplus; beta 1, threshold 20).
 * @example new Softplus().forward([0]); // Float32Array [0.6931472]
 */
export class Softplus extends activationModule('softplus', 'Softplus') {}

/**
 * Log-sigmoid, `log(sigmoid(x))`, as a module (torch.nn.LogSigmoid).
 * @example new LogSigmoid().forward([0]); // Float32Array [-0.6931472]
 */
export class LogSigmoid extends activationModule('logsigmoid', 'LogSigmoid') {}

/**
 * Mish, `x·tanh(softplus(x))`, as a module (torch.nn.Mish).
 * @example new Mish().forward([1]); // Float32Array [0.8650984]
 */
export class Mish extends activationModule('mish', 'Mish') {}

/**
 * GELU, `x·Φ(x)` (approximate 'none', default) or PyTorch's tanh form, as a module (torch.nn.GELU).
 * @example new GELU({ approximate: 'tanh' }).forward([1]); // Float32Array [0.8411920]
 */
export class GELU extends activationModule('gelu', 'GELU') {}

/**
 * Tanhshrink, `x − tanh(x)`, as a module (torch.nn.Tanhshrink).
 * @example new Tanhshrink().forward([2]); // Float32Array [1.0359725]
 */
export class Tanhshrink extends activationModule('tanhshrink', 'Tanhshrink') {}
