// Installs native TensorFlow (@tensorflow/tfjs-node, the version of the bundled TensorFlow.js) into
// ML Labs' own folder with npm: found on PATH and started without a shell (on Windows, npm.cmd would
// need one, so its JavaScript entry is run with the node.exe beside it). The install goes to a staging
// folder that replaces the previous install only once it is complete: a cancelled or failed install
// changes nothing. Every way it can fail ends with a message that says what to do.
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { BUNDLED_TFJS_VERSION, findNativeBackend, NATIVE_PACKAGE, nativeDirIn, nativeSupported } from './location';

/** A program and its arguments, exactly as spawned (never through a shell). */
export interface Command {
  command: string;
  args: string[];
}

export type InstallFailureKind = 'unsupported' | 'npm-missing' | 'offline' | 'registry' | 'scripts-blocked' | 'script-failed' | 'cancelled' | 'busy' | 'failed';

export class NativeInstallError extends Error {
  constructor(
    readonly kind: InstallFailureKind,
    message: string,
  ) {
    super(message);
    this.name = 'NativeInstallError';
  }
}

/** What the user can run themselves when ML Labs cannot run npm. */
export function manualInstallCommand(dir: string, version = BUNDLED_TFJS_VERSION): string {
  return `npm install --prefix "${dir}" ${NATIVE_PACKAGE}@${version}`;
}

export const MESSAGES = {
  unsupported: (platform: string, arch: string) =>
    `Native TensorFlow (${NATIVE_PACKAGE}) has no build for ${platform}-${arch}; ML Labs trains with WebAssembly or plain JavaScript here.`,
  npmMissing: (dir: string) =>
    `npm was not found on the PATH. Native TensorFlow is installed with npm, which comes with Node.js: install Node.js (https://nodejs.org), then try again — or run: ${manualInstallCommand(dir)}`,
  npmCmdOnly: (npmCmd: string, dir: string) =>
    `Found ${npmCmd}, but not the npm-cli.js it starts (ML Labs runs npm without a shell, which a .cmd file needs). Install Node.js from https://nodejs.org, or run: ${manualInstallCommand(dir)}`,
  offline: (detail: string) =>
    `Could not download native TensorFlow (${detail}): it comes from the npm registry and from Google's storage (about 100 MB). Connect to the internet (or set npm's proxy), then try again. Meanwhile labs train with WebAssembly or plain JavaScript.`,
  registry: (detail: string) => `The npm registry refused the download: ${detail}. Check npm's registry settings (npm config get registry), then try again.`,
  scriptsBlocked: () =>
    `npm installed ${NATIVE_PACKAGE} without running its install script, which downloads native TensorFlow. Allow it (npm config set allow-scripts=${NATIVE_PACKAGE} --location=user, or unset ignore-scripts), then try again.`,
  scriptFailed: (detail: string) => `${NATIVE_PACKAGE}'s install script failed: ${detail}`,
  cancelled: () => 'Installation cancelled; nothing was changed.',
  busy: (dir: string) => `Could not replace ${dir}: a running lab may be using it. Stop the runs, then try again.`,
  failed: (code: number | null, detail: string) => `npm failed (exit code ${code}): ${detail}`,
};

/**
 * How to start npm without a shell: the `npm` executable on the PATH; on Windows the node.exe and
 * npm-cli.js that npm.cmd would start. Throws NativeInstallError('npm-missing') when there is none.
 */
export function resolveNpm(
  dir: string,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  exists: (f: string) => boolean = isFile,
): Command {
  const pathValue = (platform === 'win32' ? (env.Path ?? env.PATH ?? env.path) : env.PATH) ?? '';
  const dirs = pathValue.split(platform === 'win32' ? ';' : ':').filter(Boolean);
  const paths = platform === 'win32' ? path.win32 : path.posix;
  const join = (...parts: string[]) => paths.join(...parts);
  if (platform !== 'win32') {
    for (const d of dirs) if (exists(join(d, 'npm'))) return { command: join(d, 'npm'), args: [] };
    throw new NativeInstallError('npm-missing', MESSAGES.npmMissing(dir));
  }
  let npmCmd: string | undefined;
  for (const d of dirs) {
    if (!exists(join(d, 'npm.cmd'))) continue;
    npmCmd ??= join(d, 'npm.cmd');
    // Node.js's installer (and nvm-windows) put npm beside node.exe: node_modules\npm\bin\npm-cli.js.
    const cli = join(d, 'node_modules', 'npm', 'bin', 'npm-cli.js');
    const node = join(d, 'node.exe');
    if (exists(cli) && exists(node)) return { command: node, args: [cli] };
  }
  throw new NativeInstallError('npm-missing', npmCmd ? MESSAGES.npmCmdOnly(npmCmd, dir) : MESSAGES.npmMissing(dir));
}

/**
 * The package.json of the install folder: the one dependency, and its install script allowed (it
 * downloads libtensorflow). Newer npm blocks dependencies' install scripts unless the project's
 * `allowScripts` names them (and refuses --allow-scripts in a project); older npm ignores the field.
 */
export function nativePackageJson(version = BUNDLED_TFJS_VERSION): Record<string, unknown> {
  return {
    name: 'mllabs-native-tensorflow',
    private: true,
    description: 'Native TensorFlow for ML Labs, installed on demand. Safe to delete: ML Labs then trains with WebAssembly or JavaScript.',
    dependencies: { [NATIVE_PACKAGE]: version },
    allowScripts: { [NATIVE_PACKAGE]: true },
  };
}

/** The npm arguments that install `prefix`'s package.json; the install script's output is shown as progress. */
export function npmInstallArgs(prefix: string): string[] {
  return ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--ignore-scripts=false', '--foreground-scripts'];
}

const NETWORK_CODES =
  /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|ERR_SOCKET_TIMEOUT|ESOCKETTIMEDOUT|CERT_\w+|UNABLE_TO_GET_ISSUER_CERT\w*|SELF_SIGNED_CERT_IN_CHAIN)\b/;

/** Why an npm install failed, from its exit code and output. */
export function classifyNpmFailure(code: number | null, output: string, dir = ''): NativeInstallError {
  // npm is a `#!/usr/bin/env node` script: found, but no node to run it.
  if (/env: .?node.?: No such file or directory/.test(output)) return new NativeInstallError('npm-missing', MESSAGES.npmMissing(dir));
  const lines = output
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const network = NETWORK_CODES.exec(output);
  if (network) {
    const host = /(?:getaddrinfo \w+|connect \w+|request to) (https?:\/\/[^/\s]+|[\w.-]+\.[a-z]{2,})/i.exec(output)?.[1];
    return new NativeInstallError('offline', MESSAGES.offline(host ? `${network[1]} for ${host.replace(/^https?:\/\//, '')}` : network[1]));
  }
  const npmCode = /npm (?:ERR!|error) code (E\w+)/.exec(output)?.[1];
  const summary = lines.find((l) => /^npm (ERR!|error) (?!code\b)/.test(l))?.replace(/^npm (ERR!|error) /, '') ?? lines.at(-1) ?? 'no output';
  if (npmCode && /^E(4\d\d|5\d\d|TARGET|INTEGRITY|NOTARGET)$/.test(npmCode))
    return new NativeInstallError('registry', MESSAGES.registry(`${npmCode}: ${summary}`));
  if (npmCode === 'ELIFECYCLE' || /install script|command failed/i.test(output) || /node scripts\/install\.js/.test(output)) {
    const detail =
      lines
        .filter((l) => !/^npm (ERR!|error) /.test(l))
        .slice(-3)
        .join(' / ') || summary;
    return new NativeInstallError('script-failed', MESSAGES.scriptFailed(detail));
  }
  return new NativeInstallError('failed', MESSAGES.failed(code, npmCode ? `${npmCode}: ${summary}` : summary));
}

export interface InstallOptions {
  /** ML Labs' folder (global storage, or ~/.mllabs): the install goes to `<base>/native`. */
  base: string;
  version?: string;
  /** Defaults to resolveNpm(). */
  npm?: Command;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** Each line npm and the install script print. */
  onOutput?(line: string): void;
  /** The platform to install for (this one). */
  platform?: string;
  arch?: string;
}

export interface InstallResult {
  dir: string;
  packageDir: string;
  version: string;
}

const OUTPUT_TAIL = 64 * 1024;

/** Installs native TensorFlow into `<base>/native`; rejects with a NativeInstallError. */
export async function installNativeBackend(options: InstallOptions): Promise<InstallResult> {
  const version = options.version ?? BUNDLED_TFJS_VERSION;
  const dir = nativeDirIn(options.base);
  const { platform = process.platform, arch = process.arch } = options;
  if (!nativeSupported(platform, arch)) throw new NativeInstallError('unsupported', MESSAGES.unsupported(platform, arch));
  const npm = options.npm ?? resolveNpm(dir, options.env);
  if (options.signal?.aborted) throw new NativeInstallError('cancelled', MESSAGES.cancelled());
  const staging = `${dir}.installing`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  try {
    fs.writeFileSync(path.join(staging, 'package.json'), JSON.stringify(nativePackageJson(version), null, 2) + '\n');
    await runNpm(npm, npmInstallArgs(staging), dir, staging, options);
    const packageDir = findNativeBackend(staging);
    if (!packageDir) throw new NativeInstallError('scripts-blocked', MESSAGES.scriptsBlocked());
    replace(dir, staging);
    return { dir, packageDir: path.join(dir, path.relative(staging, packageDir)), version };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

function runNpm(npm: Command, args: string[], dir: string, cwd: string, options: InstallOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = spawn(npm.command, [...npm.args, ...args], {
        cwd,
        env: options.env ?? process.env,
        stdio: ['ignore', 'pipe', 'pipe'],
        windowsHide: true,
        // Its own process group, so that cancelling stops the install script too.
        detached: process.platform !== 'win32',
      });
    } catch (err) {
      return reject(spawnFailure(err as NodeJS.ErrnoException, dir));
    }
    let output = '';
    let cancelled = false;
    const onLine = (chunk: string) => {
      output = (output + chunk).slice(-OUTPUT_TAIL);
      for (const line of chunk.split(/\r?\n/)) if (line.trim()) options.onOutput?.(line);
    };
    child.stdout?.setEncoding('utf8').on('data', onLine);
    child.stderr?.setEncoding('utf8').on('data', onLine);
    const onAbort = () => {
      cancelled = true;
      stopTree(child);
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (err) => {
      options.signal?.removeEventListener('abort', onAbort);
      reject(spawnFailure(err as NodeJS.ErrnoException, dir));
    });
    child.on('close', (code) => {
      options.signal?.removeEventListener('abort', onAbort);
      if (cancelled) return reject(new NativeInstallError('cancelled', MESSAGES.cancelled()));
      if (code === 0) return resolve();
      reject(classifyNpmFailure(code, output, dir));
    });
  });
}

function spawnFailure(err: NodeJS.ErrnoException, dir: string): NativeInstallError {
  if (err.code === 'ENOENT' || err.code === 'EACCES') return new NativeInstallError('npm-missing', MESSAGES.npmMissing(dir));
  return new NativeInstallError('failed', MESSAGES.failed(null, err.message));
}

/** Stops npm and everything it started (the install script, its download). */
function stopTree(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  if (process.platform === 'win32') {
    // taskkill.exe is a program, not a shell built-in: /T takes the children along.
    spawn('taskkill', ['/pid', String(child.pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true }).on('error', () => child.kill());
    return;
  }
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    child.kill('SIGTERM');
  }
}

/** The complete staging folder takes the place of the previous install. */
function replace(dir: string, staging: string): void {
  try {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(staging, dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EBUSY' || code === 'EPERM' || code === 'ENOTEMPTY' || code === 'EACCES') throw new NativeInstallError('busy', MESSAGES.busy(dir));
    throw err;
  }
}

function isFile(f: string): boolean {
  try {
    return fs.statSync(f).isFile();
  } catch {
    return false;
  }
}

/** The script that proves an installed package works: it loads, becomes the backend and runs an op. */
const CHECK_SCRIPT = `
const tf = require(process.argv[1]);
tf.enableProdMode();
Promise.resolve(tf.setBackend('tensorflow')).then((ok) => {
  const value = ok ? tf.tidy(() => tf.tensor1d([1, 2, 3]).square().sum().dataSync()[0]) : NaN;
  process.stdout.write('\\n' + JSON.stringify({ backend: tf.getBackend(), value }) + '\\n');
}, (e) => process.stdout.write('\\n' + JSON.stringify({ error: String((e && e.message) || e) }) + '\\n'));
`;

export type CheckResult = { ok: true } | { ok: false; reason: string };

/**
 * Loads an installed package in a fresh Node.js (the one that runs labs: `node`, or VS Code's own
 * with ELECTRON_RUN_AS_NODE) and runs one op on native TensorFlow.
 */
export function checkNativeBackend(packageDir: string, node: Command = { command: process.execPath, args: [] }, timeoutMs = 60_000): Promise<CheckResult> {
  return new Promise((resolve) => {
    const child = spawn(node.command, [...node.args, '-e', CHECK_SCRIPT, packageDir], {
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
      timeout: timeoutMs,
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err = (err + d).slice(-4096)));
    child.on('error', (e) => resolve({ ok: false, reason: e.message }));
    child.on('close', (code, signal) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      let result: { backend?: string; value?: number; error?: string } | undefined;
      try {
        result = JSON.parse(last) as typeof result;
      } catch {
        result = undefined;
      }
      if (result?.backend === 'tensorflow' && result.value === 14) return resolve({ ok: true });
      const why =
        result?.error ??
        (result ? `it ran on ${result.backend}, not tensorflow` : signal ? `it was stopped (${signal})` : lastLine(err) || `exit code ${code}`);
      resolve({ ok: false, reason: `native TensorFlow does not load here: ${why}` });
    });
  });
}

/** The error line of a Node.js crash report on stderr (it follows the source line it points at), else the last line. */
function lastLine(text: string): string {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.find((l) => /^[A-Za-z]*Error\b.*:/.test(l)) ?? lines.at(-1) ?? '';
}
