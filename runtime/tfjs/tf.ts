// Type-only view of TensorFlow.js. Nothing here loads tfjs: every runtime module receives the
// loaded namespace (`Tf`) from runtime/backend/select.ts, so that `seer check` and the compiler
// never pay for (or depend on) tfjs being installed.
import type * as tfjs from "@tensorflow/tfjs";

/** The `@tensorflow/tfjs` namespace as returned by `import("@tensorflow/tfjs")`. */
export type Tf = typeof tfjs;

export type {
  Rank,
  Scalar,
  Tensor,
  Tensor1D,
  Tensor2D,
  Tensor3D,
  Tensor4D,
  Variable,
} from "@tensorflow/tfjs";
