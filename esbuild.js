// Builds the separate bundles: the extension host's small activation entry and the implementation
// it loads on first use (vscode external, no TensorFlow.js), the runner that runs in the child
// process, and the command-line entry. Also TensorFlow.js's declarations for lab editors.
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/** Packages loaded from node_modules at run time, never bundled. */
const runtimeExternal = [
  // Native TensorFlow: a native addon, optional, with its own copy of TensorFlow.js.
  '@tensorflow/tfjs-node',
  // esbuild ships a native binary and compiles the learner's code in the child.
  'esbuild',
  // Only study specs need a YAML parser: loaded when one is read, not with the extension.
  'yaml',
];

/**
 * sha256 of every course manifest and data set, recorded in the bundles: the install folder is
 * writable by its user, so what is read from it at run time is checked against these.
 */
function courseDigests() {
  const crypto = require('crypto');
  const root = path.join(__dirname, 'lab-templates');
  const digests = {};
  const digest = (rel) =>
    (digests[rel] = crypto
      .createHash('sha256')
      .update(fs.readFileSync(path.join(root, rel)))
      .digest('hex'));
  for (const entry of fs.readdirSync(root, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('_') || entry.name.startsWith('.')) continue;
    if (fs.existsSync(path.join(root, entry.name, 'lab.json'))) digest(`${entry.name}/lab.json`);
  }
  const walk = (rel) => {
    for (const entry of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const child = `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else if (entry.name.endsWith('.csv')) digest(child);
    }
  };
  walk('_data');
  return digests;
}

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
};

/** For the bundles that read the course from the install: the digests to check it against. */
const course = { define: { __MLLABS_COURSE_DIGESTS__: JSON.stringify(courseDigests()) } };

/** The entry's require('./extensionMain') stays a require of the other bundle, dist/extensionMain.js. */
const lazyMain = {
  name: 'lazy-extension-main',
  setup(build) {
    build.onResolve({ filter: /^\.\/extensionMain$/ }, () => ({ path: './extensionMain.js', external: true }));
  },
};

/**
 * The child processes load TensorFlow.js from dist/tfjs.js, its own bundle, when they need it: their
 * own bundles stay small and start fast. The wasm backend is registered through that bundle, so
 * there is only ever one TensorFlow.js in a process.
 */
const sharedTfjs = {
  name: 'shared-tfjs',
  setup(build) {
    build.onResolve({ filter: /^@tensorflow\/tfjs$|^\.\/tfjs\.js$/ }, () => ({ path: './tfjs.js', external: true }));
    build.onResolve({ filter: /^@tensorflow\/tfjs-backend-wasm$/ }, () => ({ path: 'wasm', namespace: 'shared-tfjs' }));
    build.onLoad({ filter: /.*/, namespace: 'shared-tfjs' }, () => ({ contents: "require('./tfjs.js').__loadWasmBackend();", loader: 'js' }));
  },
};

/**
 * The queue (BullMQ, ioredis) is its own bundle, dist/queue.js, loaded only when a Redis URL is given:
 * an import of src/core/queue from the CLI or the extension stays a require of that file.
 */
const lazyQueue = {
  name: 'lazy-queue',
  setup(build) {
    build.onResolve({ filter: /(^|\/)core\/queue$/ }, () => ({ path: './queue.js', external: true }));
  },
};

/** Drivers and add-ons BullMQ can use but ML Labs does not (it connects through ioredis). */
const queueExternal = ['pg', 'redis', '@redis/client', '@valkey/valkey-glide', 'bullmq-otel', 'msgpackr-extract'];

const builds = [
  { ...common, entryPoints: ['src/vscode/extension.ts'], outfile: 'dist/extension.js', external: ['vscode', ...runtimeExternal], plugins: [lazyMain] },
  {
    ...common,
    ...course,
    entryPoints: ['src/vscode/extensionMain.ts'],
    outfile: 'dist/extensionMain.js',
    external: ['vscode', ...runtimeExternal],
    plugins: [lazyQueue],
  },
  // Class gradings and study trials on workers (bundled with BullMQ and ioredis).
  { ...common, ...course, entryPoints: ['src/core/queue/index.ts'], outfile: 'dist/queue.js', external: [...runtimeExternal, ...queueExternal] },
  // The trusted side of a run (data, labels, training, measurement) and the learner's process.
  { ...common, ...course, entryPoints: ['src/child/evaluator/main.ts'], outfile: 'dist/evaluator.js', external: runtimeExternal, plugins: [sharedTfjs] },
  { ...common, entryPoints: ['src/child/learner/main.ts'], outfile: 'dist/learner.js', external: runtimeExternal, plugins: [sharedTfjs] },
  { ...common, entryPoints: ['src/child/tfjsBundle.ts'], outfile: 'dist/tfjs.js', external: runtimeExternal },
  { ...common, entryPoints: ['src/child/playground/main.ts'], outfile: 'dist/playground.js', external: runtimeExternal },
  { ...common, entryPoints: ['src/core/tuner/samplerWorker.ts'], outfile: 'dist/samplerWorker.js', external: runtimeExternal },
  {
    ...common,
    ...course,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    external: runtimeExternal,
    plugins: [lazyQueue],
    banner: { js: '#!/usr/bin/env node' },
  },
  // Webview front ends, bundled for the browser.
  ...['dashboard', 'playground'].map((name) => ({
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    sourcemap: production ? false : 'linked',
    minify: production,
    logLevel: 'warning',
    entryPoints: [`media/${name}/main.ts`],
    outfile: `dist/media/${name}.js`,
  })),
];

async function main() {
  const present = builds.filter((b) => fs.existsSync(path.join(__dirname, b.entryPoints[0])));
  // Lab editors resolve `@tensorflow/tfjs` to this file (see src/core/lab/editorTypes.ts); rebuilt only when stale.
  const types = require('./scripts/tfjsTypes').buildTfjsTypes();
  if (watch) {
    await types;
    for (const b of present) await (await esbuild.context(b)).watch();
    console.log('watching for changes…');
    return;
  }
  await Promise.all([...present.map((b) => esbuild.build(b)), types]);
  fs.chmodSync(path.join(__dirname, 'dist', 'cli.js'), 0o755);
  // The bundled wasm backend looks for its binaries next to the bundle.
  const wasmDir = path.join(__dirname, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');
  for (const f of fs.readdirSync(wasmDir).filter((f) => f.endsWith('.wasm'))) fs.copyFileSync(path.join(wasmDir, f), path.join(__dirname, 'dist', f));
}

// Required by a test that checks what the activation entry bundles.
module.exports = { builds };

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
