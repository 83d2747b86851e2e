// A @tensorflow/tfjs-node package laid out in a folder as npm leaves it after its install script ran,
// for tests of finding and loading native TensorFlow without downloading it.
import * as fs from 'fs';
import * as path from 'path';
import { BUNDLED_TFJS_VERSION, NATIVE_PACKAGE } from '../src/core/native/location';

/**
 * A stand-in for tfjs-node's entry: the installed TensorFlow.js with a "tensorflow" backend that runs
 * the cpu kernels, and a mark of where it was loaded from.
 */
export const FAKE_NATIVE_INDEX = `
  const tf = require(${JSON.stringify(require.resolve('@tensorflow/tfjs'))});
  globalThis.__mllabsNativeFrom = __dirname;
  if (!tf.findBackendFactory('tensorflow')) {
    tf.registerBackend('tensorflow', tf.findBackendFactory('cpu'));
    for (const k of tf.getKernelsForBackend('cpu')) tf.registerKernel({ ...k, backendName: 'tensorflow' });
  }
  module.exports = tf;
`;

export function placeNativePackage(dir: string, opts: { binding?: boolean; name?: string; index?: string; tfjs?: boolean } = {}): string {
  const pkg = path.join(dir, 'node_modules', '@tensorflow', 'tfjs-node');
  fs.mkdirSync(path.join(pkg, 'lib', 'napi-v8'), { recursive: true });
  fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: opts.name ?? NATIVE_PACKAGE, version: BUNDLED_TFJS_VERSION, main: 'index.js' }));
  fs.writeFileSync(path.join(pkg, 'index.js'), opts.index ?? 'module.exports = {};\n');
  if (opts.binding !== false) fs.writeFileSync(path.join(pkg, 'lib', 'napi-v8', 'tfjs_binding.node'), 'binary');
  if (opts.tfjs !== false) {
    fs.mkdirSync(path.join(dir, 'node_modules', '@tensorflow', 'tfjs'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'node_modules', '@tensorflow', 'tfjs', 'package.json'),
      JSON.stringify({ name: '@tensorflow/tfjs', version: BUNDLED_TFJS_VERSION }),
    );
  }
  return pkg;
}
