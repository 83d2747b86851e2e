// Where native TensorFlow (@tensorflow/tfjs-node) lives when ML Labs installs it on demand, and how to
// tell it is really there. The package cannot ship with the extension (its install downloads
// libtensorflow for the platform), so it goes into a folder of ML Labs' own: `<base>/native`, an npm
// prefix, with base = VS Code's global storage for the extension, or $MLLABS_HOME (~/.mllabs) for
// the command line. Small and dependency-free: the runner imports it too.
import * as fs from 'fs';
import * as path from 'path';
import { version as tfjsVersion } from '@tensorflow/tfjs/package.json';

export const NATIVE_PACKAGE = '@tensorflow/tfjs-node';
/** The TensorFlow.js version bundled with the runner (read at build time): native installs match it. */
export const BUNDLED_TFJS_VERSION: string = tfjsVersion;
/** Platforms for which @tensorflow/tfjs-node publishes native TensorFlow and a prebuilt binding. */
export const NATIVE_PLATFORMS = ['linux-x64', 'darwin-x64', 'darwin-arm64', 'win32-x64'] as const;

export function nativeSupported(platform: string = process.platform, arch: string = process.arch): boolean {
  return (NATIVE_PLATFORMS as readonly string[]).includes(`${platform}-${arch}`);
}

/** The install folder (an npm prefix) inside a base folder. */
export function nativeDirIn(base: string): string {
  return path.join(base, 'native');
}

/** The package folder inside an install folder, whether or not it is there. */
export function nativePackageDir(dir: string): string {
  return path.join(dir, 'node_modules', ...NATIVE_PACKAGE.split('/'));
}

/**
 * The @tensorflow/tfjs-node package folder in `dir` if it is really installed: its package.json,
 * its compiled binding (lib/napi-v<N>/tfjs_binding.node, written by its install script after
 * libtensorflow was downloaded) and the TensorFlow.js it depends on. Otherwise undefined.
 */
export function findNativeBackend(dir: string): string | undefined {
  const pkgDir = nativePackageDir(dir);
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { name?: unknown };
    if (pkg.name !== NATIVE_PACKAGE) return undefined;
    const lib = path.join(pkgDir, 'lib');
    const hasBinding = fs.readdirSync(lib).some((d) => /^napi-v\d+$/.test(d) && fs.existsSync(path.join(lib, d, 'tfjs_binding.node')));
    if (!hasBinding) return undefined;
    const tfjs = ['@tensorflow', 'tfjs', 'package.json'];
    if (!fs.existsSync(path.join(dir, 'node_modules', ...tfjs)) && !fs.existsSync(path.join(pkgDir, 'node_modules', ...tfjs))) return undefined;
    return pkgDir;
  } catch {
    return undefined;
  }
}

/** The version of an installed package folder (as findNativeBackend returns it). */
export function nativeVersion(pkgDir: string): string | undefined {
  try {
    const v = (JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { version?: unknown }).version;
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether to offer native TensorFlow after a run: the run tried it first and trained on wasm or cpu
 * instead (labs whose own order leaves it out, like the playground's, are not slowed by its absence),
 * it exists for this platform, it is not installed, and the learner has not declined the offer.
 */
export function shouldOfferNative(
  run: { backend: string; attempts: { backend: string; ok: boolean }[] },
  state: { installed: boolean; declined: boolean },
  platform: string = process.platform,
  arch: string = process.arch,
): boolean {
  const triedNative = run.attempts.some((a) => a.backend === 'tensorflow' && !a.ok);
  return triedNative && run.backend !== 'tensorflow' && nativeSupported(platform, arch) && !state.installed && !state.declined;
}
