// The two engines the playground trains with, as the panel describes them: the exact trainer (the
// playground's own, float64) and TensorFlow.js, loaded on first use.
import type { EngineInfo } from '../../core/playground/protocol';

type Tf = typeof import('@tensorflow/tfjs');

export interface LoadedTensorFlow {
  tf: Tf;
  info: EngineInfo;
}

export const EXACT_ENGINE_INFO: EngineInfo = {
  engine: 'exact',
  backend: 'float64 JavaScript',
  reason:
    "The playground's own trainer: TF Playground's arithmetic in float64 — per-point gradients averaged over each batch, " +
    'L1 as a proximal step that sets a weight crossing zero to exactly 0. At these sizes it is 20–45× faster than ' +
    'TensorFlow.js, whose time goes to per-operation overhead, and it matches TensorFlow.js to float precision.',
  versions: { node: process.versions.node },
};

export function tfjsReason(version: string, backend: string): string {
  return (
    `TensorFlow.js ${version} on its ${backend} backend trains the same network from the same weights (float32, gradients from tf.grads, ` +
    'the same proximal L1 step). The cpu backend because at these sizes every operation costs mostly overhead, and the plain-JavaScript ' +
    'backend has the least of it (faster here than WebAssembly). The exact trainer runs alongside: the difference shown is the largest ' +
    'gap between the two losses since the switch.'
  );
}
