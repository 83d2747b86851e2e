// The baseline of the harness-overhead benchmark: the hand-tuning reference workload (same data,
// split, features, model and settings) trained by a plain script that calls model.fit directly.
// Usage: node out/bench/plainFit.js <backend> <installRoot>
import * as path from 'path';
import { loadHousing } from '../src/child/datasets/housing';
import { splitRows } from '../src/core/data/split';
import { seedGlobalRandom } from '../src/child/common/seed';

async function main(): Promise<void> {
  const [backend, installRoot] = process.argv.slice(2);
  seedGlobalRandom(1);
  const tf = require('@tensorflow/tfjs') as typeof import('@tensorflow/tfjs');
  if (backend === 'wasm') require('@tensorflow/tfjs-backend-wasm');
  if (backend === 'tensorflow') require('@tensorflow/tfjs-node');
  tf.enableProdMode();
  await tf.setBackend(backend);
  const rows = loadHousing(path.resolve(installRoot));
  const split = splitRows(rows, { train: 0.64, validation: 0.16, test: 0.2 }, 42);
  const x = (r: (typeof rows)[number]) => [r.total_rooms / r.households, r.median_income];
  const y = (r: (typeof rows)[number]) => [r.median_house_value / 100_000];
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
  const t0 = Date.now();
  await model.fit(tf.tensor2d(split.train.map(x)), tf.tensor2d(split.train.map(y)), {
    epochs: 25,
    batchSize: 100,
    shuffle: true,
    verbose: 0,
    validationData: [tf.tensor2d(split.validation.map(x)), tf.tensor2d(split.validation.map(y))],
  });
  const fitMs = Date.now() - t0;
  const pred = (model.predict(tf.tensor2d(split.test.map(x))) as import('@tensorflow/tfjs').Tensor).dataSync();
  const rmse = Math.sqrt(split.test.reduce((s, r, i) => s + (pred[i] * 100_000 - r.median_house_value) ** 2, 0) / split.test.length);
  process.stdout.write(JSON.stringify({ fitMs, rmse, backend: tf.getBackend() }) + '\n');
}

void main();
