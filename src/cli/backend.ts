// `mllabs backend` (which TensorFlow.js backends this machine has) and `mllabs backend install`
// (native TensorFlow into $MLLABS_HOME/native, ~/.mllabs/native by default, with npm).
import { BUNDLED_TFJS_VERSION, findNativeBackend, NATIVE_PACKAGE, nativeDirIn, nativeSupported, nativeVersion } from '../core/native/location';
import { checkNativeBackend, installNativeBackend, NativeInstallError } from '../core/native/install';
import { mllabsHome } from '../core/files/home';
import { bold, dim, green, red, yellow } from './render';

export interface BackendIo {
  output: NodeJS.WritableStream;
  errors: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

const defaultIo = (): BackendIo => ({ output: process.stdout, errors: process.stderr, env: process.env });

/** Where the command line installs native TensorFlow, and where its runs look for it. */
export function cliNativeDir(env: NodeJS.ProcessEnv = process.env): string {
  return nativeDirIn(mllabsHome(env));
}

export interface BackendStatus {
  platform: string;
  /** @tensorflow/tfjs-node publishes native TensorFlow for this platform. */
  supported: boolean;
  dir: string;
  installed: boolean;
  version?: string;
  /** Loaded and ran an op (checked only when installed). */
  works?: boolean;
  reason?: string;
  bundled: { tfjs: string; backends: string[] };
}

export async function backendStatus(env: NodeJS.ProcessEnv = process.env): Promise<BackendStatus> {
  const dir = cliNativeDir(env);
  const packageDir = findNativeBackend(dir);
  const status: BackendStatus = {
    platform: `${process.platform}-${process.arch}`,
    supported: nativeSupported(),
    dir,
    installed: !!packageDir,
    bundled: { tfjs: BUNDLED_TFJS_VERSION, backends: ['wasm', 'cpu'] },
  };
  if (packageDir) {
    status.version = nativeVersion(packageDir);
    const check = await checkNativeBackend(packageDir);
    status.works = check.ok;
    if (!check.ok) status.reason = check.reason;
  }
  return status;
}

export async function backendStatusCommand(flags: { json?: boolean }, io: BackendIo = defaultIo()): Promise<number> {
  const s = await backendStatus(io.env);
  if (flags.json) {
    io.output.write(JSON.stringify(s, null, 2) + '\n');
    return 0;
  }
  const native = `native TensorFlow (${NATIVE_PACKAGE})`;
  if (!s.supported) io.output.write(`${native}: ${dim(`not available for ${s.platform}; runs use WebAssembly or plain JavaScript`)}\n`);
  else if (!s.installed)
    io.output.write(`${native}: ${yellow('not installed')} — ${bold('mllabs backend install')} downloads it once (about 100 MB) into ${s.dir}\n`);
  else if (s.works)
    io.output.write(`${native}: ${green(`${s.version ?? ''} installed and working`)} in ${s.dir}; runs use it (backend "auto" or "tensorflow")\n`);
  else io.output.write(`${native}: ${red('installed but not working')} in ${s.dir}: ${s.reason}\n  reinstall with ${bold('mllabs backend install --force')}\n`);
  io.output.write(`bundled: TensorFlow.js ${s.bundled.tfjs} with the wasm (WebAssembly) and cpu (plain JavaScript) backends\n`);
  return 0;
}

export async function backendInstallCommand(flags: { force?: boolean }, io: BackendIo = defaultIo()): Promise<number> {
  const base = mllabsHome(io.env);
  const dir = nativeDirIn(base);
  const existing = findNativeBackend(dir);
  if (existing && !flags.force && nativeVersion(existing) === BUNDLED_TFJS_VERSION) {
    io.output.write(`${NATIVE_PACKAGE} ${BUNDLED_TFJS_VERSION} is already installed in ${dir} (reinstall with --force)\n`);
    return 0;
  }
  io.errors.write(`installing ${NATIVE_PACKAGE} ${BUNDLED_TFJS_VERSION} into ${dir} with npm (it downloads native TensorFlow, about 100 MB; Ctrl-C cancels)\n`);
  const controller = new AbortController();
  const onSigint = () => {
    io.errors.write(`\n${yellow('cancelling…')}\n`);
    controller.abort();
  };
  process.once('SIGINT', onSigint);
  try {
    const result = await installNativeBackend({ base, env: io.env, signal: controller.signal, onOutput: (line) => io.errors.write(`${dim('│')} ${line}\n`) });
    const check = await checkNativeBackend(result.packageDir);
    if (!check.ok) {
      io.errors.write(`${red('error:')} installed in ${result.dir}, but ${check.reason}\n`);
      return 2;
    }
    io.output.write(`${green('✔')} native TensorFlow ${result.version} works: runs use it (backend "auto" or "tensorflow")\n`);
    return 0;
  } catch (err) {
    if (!(err instanceof NativeInstallError)) throw err;
    io.errors.write(`${err.kind === 'cancelled' ? yellow('cancelled:') : red('error:')} ${err.message}\n`);
    return 2;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}
