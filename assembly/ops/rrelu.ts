// RReLU in evaluation mode (PyTorch's F.rrelu with training=False, nn.RReLU after .eval()): leaky
// ReLU with the mean slope (lower + upper) / 2. The kernels take lower and upper as float32 (as
// the engine passes every param); their sum is formed in float64 (exact for any two float32 whose
// exponents differ by less than 29) and halved, then rounded to float32 once, and the leaky ReLU
// loops of leaky_relu.ts run with that slope: x > 0 ? x : x * slope, so NaN, -0 and the x = 0 kink
// follow leakyRelu (PyTorch's leaky_relu and leaky_relu_backward). Calling them rather than a loop
// of its own adds no second copy of the loop to the module (the browser bundle's size budget).
// The training mode (a random slope per element) is the RReLU module's (src/modules/rrelu.ts).
import { leakyRelu, leakyReluBackward } from "./leaky_relu";

/** The float32 of the mean of float32 lower and upper, as the js backend computes it. */
// @ts-ignore: decorator
@inline function meanSlope(lower: f32, upper: f32): f32 {
  return <f32>((<f64>lower + <f64>upper) * 0.5);
}

/** dst[i] = src[i] > 0 ? src[i] : slope * src[i], slope = f32((lower + upper) / 2) (dst may be src). */
export function rrelu(src: usize, dst: usize, n: usize, lower: f32, upper: f32): void {
  leakyRelu(src, dst, n, meanSlope(lower, upper));
}

/** dx[i] = x[i] > 0 ? dy[i] : slope * dy[i], slope as rrelu's (dx may be dy or x). */
export function rreluBackward(dy: usize, x: usize, dx: usize, n: usize, lower: f32, upper: f32): void {
  leakyReluBackward(dy, x, dx, n, meanSlope(lower, upper));
}
