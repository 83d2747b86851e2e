// TensorFlow.js as a bundle of its own (dist/tfjs.js), shared by the evaluator and the learner's
// process: each loads it only when it needs it (a playground lab never does), and a process whose
// bundle does not carry 5 MB of TensorFlow.js starts in a fraction of the time.
export * from '@tensorflow/tfjs';

/** Registers the WebAssembly backend with this TensorFlow.js (its .wasm files sit beside the bundle). */
export function __loadWasmBackend(): void {
  require('@tensorflow/tfjs-backend-wasm');
}
