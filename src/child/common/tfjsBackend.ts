// Chooses the TensorFlow.js backend inside the child process. A backend counts as working only
// after it has run one real op; the choice and the reason are reported to the user.
import type { BackendAttempt } from '../../core/run/protocol';
import type { BackendChoice, BackendName } from '../../core/lab/manifest';
import { findNativeBackend } from '../../core/native/location';

export type Tf = typeof import('@tensorflow/tfjs');

export const DEFAULT_AUTO_ORDER: BackendName[] = ['tensorflow', 'wasm', 'cpu'];

export interface BackendOptions {
  /** Where ML Labs installs @tensorflow/tfjs-node on demand (core/native/location.ts): tried before node_modules. */
  nativeDir?: string;
}

export interface BackendChoiceResult {
  tf: Tf;
  backend: BackendName;
  reason: string;
  attempts: BackendAttempt[];
  versions: Record<string, string>;
}

function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split('\n')[0];
}

/**
 * Loads the package that provides a backend: the TensorFlow.js instance to use with it, or the
 * reason it cannot. The native backend comes with its own TensorFlow.js (it is an addon loaded
 * from ML Labs' install folder, else from node_modules); cpu and wasm use the copy bundled with the runner.
 */
function loadBackendPackage(name: BackendName, bundled: Tf, options: BackendOptions): { tf: Tf } | { missing: string } {
  if (name === 'tensorflow') return loadNative(options.nativeDir);
  try {
    if (name === 'wasm') require('@tensorflow/tfjs-backend-wasm');
    return { tf: bundled };
  } catch (err) {
    return { missing: firstLine(err) };
  }
}

function loadNative(nativeDir: string | undefined): { tf: Tf } | { missing: string } {
  const installed = nativeDir ? findNativeBackend(nativeDir) : undefined;
  let installedFailure: string | undefined;
  if (installed) {
    try {
      return { tf: require(installed) as Tf };
    } catch (err) {
      installedFailure = `${loadFailure(err as NodeJS.ErrnoException)} (installed in ${installed})`;
    }
  }
  try {
    return { tf: require('@tensorflow/tfjs-node') as Tf };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (installedFailure) return { missing: installedFailure };
    if (e.code === 'MODULE_NOT_FOUND' && /@tensorflow\/tfjs-node['"]/.test(e.message)) {
      return { missing: '@tensorflow/tfjs-node is not installed (its install downloads libtensorflow, which needs internet access)' };
    }
    return { missing: loadFailure(e) };
  }
}

function loadFailure(e: NodeJS.ErrnoException): string {
  if (e.code === 'ERR_DLOPEN_FAILED') return `the native TensorFlow library did not load: ${firstLine(e)}`;
  return `@tensorflow/tfjs-node is installed but did not load: ${firstLine(e)}`;
}

/** Proof that a backend works: it becomes active and computes 1² + 2² + 3² = 14. */
async function tryBackend(bundled: Tf, name: BackendName, options: BackendOptions): Promise<{ tf: Tf } | { missing: string }> {
  const loaded = loadBackendPackage(name, bundled, options);
  if ('missing' in loaded) return loaded;
  const { tf } = loaded;
  try {
    tf.enableProdMode();
    if (!(await tf.setBackend(name))) return { missing: `the ${name} backend failed to initialise` };
    if (tf.getBackend() !== name) return { missing: `asked for ${name} but TensorFlow.js runs ${tf.getBackend()}` };
    const value = tf.tidy(() => tf.tensor1d([1, 2, 3]).square().sum().dataSync()[0]);
    if (value !== 14) return { missing: `a test op returned ${value} instead of 14` };
    return { tf };
  } catch (err) {
    return { missing: `a test op failed: ${firstLine(err)}` };
  }
}

const DESCRIPTION: Record<BackendName, string> = {
  tensorflow: 'native TensorFlow through @tensorflow/tfjs-node',
  wasm: 'WebAssembly (@tensorflow/tfjs-backend-wasm, SIMD, single thread)',
  cpu: 'plain JavaScript (the cpu backend, slowest but always available)',
};

export async function chooseBackend(
  choice: BackendChoice,
  autoOrder: BackendName[] = DEFAULT_AUTO_ORDER,
  autoReason?: string,
  options: BackendOptions = {},
): Promise<BackendChoiceResult> {
  const bundled = require('@tensorflow/tfjs') as Tf;
  // Prod mode silences the "install the node backend" banner; the choice is reported instead.
  bundled.enableProdMode();
  const attempts: BackendAttempt[] = [];
  const order = choice === 'auto' ? [...autoOrder, ...DEFAULT_AUTO_ORDER.filter((b) => !autoOrder.includes(b))] : [choice];
  for (const name of order) {
    const result = await tryBackend(bundled, name, options);
    const failure = 'missing' in result ? result.missing : undefined;
    attempts.push({ backend: name, ok: !failure, detail: failure ?? DESCRIPTION[name] });
    if ('missing' in result) continue;
    const tf = result.tf;
    const skipped = attempts.filter((a) => !a.ok).map((a) => `${a.backend}: ${a.detail}`);
    let reason: string;
    if (choice !== 'auto') reason = `${name} was requested: ${DESCRIPTION[name]}`;
    else if (skipped.length === 0) reason = `${DESCRIPTION[name]}${autoReason && name !== 'tensorflow' ? ` (${autoReason})` : ''}`;
    else reason = `${DESCRIPTION[name]}; not available: ${skipped.join('; ')}`;
    return { tf, backend: name, reason, attempts, versions: versions(tf) };
  }
  const detail = attempts.map((a) => `${a.backend}: ${a.detail}`).join('; ');
  throw new Error(
    choice === 'auto'
      ? `no TensorFlow.js backend works here (${detail})`
      : `the ${choice} backend was requested but does not work here (${detail}). Choose "auto" to fall back.`,
  );
}

function versions(tf: Tf): Record<string, string> {
  return { tfjs: tf.version.tfjs, node: process.versions.node };
}
