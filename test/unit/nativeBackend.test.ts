// Native TensorFlow on demand, offline: where it is found (a package placed in a folder), that the
// runner's backend choice loads it from there first, the exact npm invocation, and every failure a
// user can meet (npm missing, offline, registry refusal, blocked script, cancel) with its message.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { chooseBackend } from '../../src/child/common/tfjsBackend';
import { BUNDLED_TFJS_VERSION, findNativeBackend, nativeDirIn, nativeSupported, shouldOfferNative } from '../../src/core/native/location';
import {
  checkNativeBackend,
  classifyNpmFailure,
  installNativeBackend,
  MESSAGES,
  NativeInstallError,
  nativePackageJson,
  npmInstallArgs,
  resolveNpm,
  type Command,
} from '../../src/core/native/install';
import { FIXTURES, tempDir } from '../helpers';
import { FAKE_NATIVE_INDEX, placeNativePackage } from '../nativeFixture';

describe('native TensorFlow: finding it', () => {
  it('finds a complete install and nothing else', () => {
    const ok = tempDir();
    assert.strictEqual(findNativeBackend(ok), undefined, 'an empty folder');
    const pkg = placeNativePackage(ok);
    assert.strictEqual(findNativeBackend(ok), pkg);
    const noBinding = tempDir();
    placeNativePackage(noBinding, { binding: false });
    assert.strictEqual(findNativeBackend(noBinding), undefined, 'installed with its script skipped: no binding');
    const impostor = tempDir();
    placeNativePackage(impostor, { name: 'something-else' });
    assert.strictEqual(findNativeBackend(impostor), undefined);
    const noTfjs = tempDir();
    placeNativePackage(noTfjs, { tfjs: false });
    assert.strictEqual(findNativeBackend(noTfjs), undefined, 'its TensorFlow.js dependency is missing');
    assert.strictEqual(findNativeBackend(path.join(ok, 'does-not-exist')), undefined);
  });

  it('is offered after a run that tried it and trained on wasm or cpu, where it exists and is not installed, unless declined', () => {
    const none = { installed: false, declined: false };
    const missing = { backend: 'tensorflow', ok: false };
    const fellBack = { backend: 'wasm', attempts: [missing, { backend: 'wasm', ok: true }] };
    assert.ok(shouldOfferNative(fellBack, none, 'linux', 'x64'));
    assert.ok(shouldOfferNative({ backend: 'cpu', attempts: [missing, { backend: 'cpu', ok: true }] }, none, 'win32', 'x64'));
    assert.ok(
      !shouldOfferNative({ backend: 'tensorflow', attempts: [{ backend: 'tensorflow', ok: true }] }, none, 'linux', 'x64'),
      'it ran on native TensorFlow',
    );
    assert.ok(
      !shouldOfferNative({ backend: 'cpu', attempts: [{ backend: 'cpu', ok: true }] }, none, 'linux', 'x64'),
      'cpu was asked for, or the lab (a playground) does not use native TensorFlow',
    );
    assert.ok(!shouldOfferNative(fellBack, none, 'linux', 'arm64'), 'no native TensorFlow for the platform');
    assert.ok(!shouldOfferNative(fellBack, { installed: true, declined: false }, 'linux', 'x64'));
    assert.ok(!shouldOfferNative(fellBack, { installed: false, declined: true }, 'linux', 'x64'));
  });

  it('knows the platforms tfjs-node publishes for', () => {
    for (const [p, a] of [
      ['linux', 'x64'],
      ['darwin', 'x64'],
      ['darwin', 'arm64'],
      ['win32', 'x64'],
    ])
      assert.ok(nativeSupported(p, a), `${p}-${a}`);
    for (const [p, a] of [
      ['linux', 'arm64'],
      ['win32', 'arm64'],
      ['linux', 'arm'],
    ])
      assert.ok(!nativeSupported(p, a), `${p}-${a}`);
  });
});

describe('native TensorFlow: the runner loads it from the install folder first', () => {
  after(() => {
    const tf = require('@tensorflow/tfjs') as typeof import('@tensorflow/tfjs');
    for (const k of tf.getKernelsForBackend('tensorflow')) tf.unregisterKernel(k.kernelName, 'tensorflow');
    if (tf.findBackendFactory('tensorflow')) tf.removeBackend('tensorflow');
    void tf.setBackend('cpu');
  });

  it('uses the package in nativeDir', async () => {
    const dir = tempDir();
    const pkg = placeNativePackage(dir, { index: FAKE_NATIVE_INDEX });
    const result = await chooseBackend('auto', ['tensorflow', 'cpu'], undefined, { nativeDir: dir });
    assert.strictEqual(result.backend, 'tensorflow');
    assert.strictEqual((globalThis as Record<string, unknown>).__mllabsNativeFrom, pkg);
    assert.deepStrictEqual(
      result.attempts.map((a) => [a.backend, a.ok]),
      [['tensorflow', true]],
    );
  });

  it('falls back, and says which install did not load and why', async () => {
    const dir = tempDir();
    const pkg = placeNativePackage(dir, {
      index: "const e = new Error('libtensorflow.so.2: cannot open shared object file'); e.code = 'ERR_DLOPEN_FAILED'; throw e;",
    });
    const result = await chooseBackend('auto', ['tensorflow', 'cpu'], undefined, { nativeDir: dir });
    assert.strictEqual(result.backend, 'cpu');
    assert.strictEqual(result.attempts[0].backend, 'tensorflow');
    assert.strictEqual(
      result.attempts[0].detail,
      `the native TensorFlow library did not load: libtensorflow.so.2: cannot open shared object file (installed in ${pkg})`,
    );
    assert.match(result.reason, /not available: tensorflow: the native TensorFlow library did not load/);
  });

  it('after an install, a fresh Node.js proves it runs an op on the tensorflow backend, or says why not', async function () {
    this.timeout(30_000);
    const good = tempDir();
    assert.deepStrictEqual(await checkNativeBackend(placeNativePackage(good, { index: FAKE_NATIVE_INDEX })), { ok: true });
    const broken = tempDir();
    const result = await checkNativeBackend(placeNativePackage(broken, { index: "throw new Error('libtensorflow.so.2: cannot open shared object file');" }));
    assert.deepStrictEqual(result, { ok: false, reason: 'native TensorFlow does not load here: Error: libtensorflow.so.2: cannot open shared object file' });
  });
});

describe('native TensorFlow: the npm invocation', () => {
  it('installs the bundled TensorFlow.js version, allowing only its install script', () => {
    assert.strictEqual(BUNDLED_TFJS_VERSION, (require('@tensorflow/tfjs/package.json') as { version: string }).version);
    assert.deepStrictEqual(nativePackageJson('4.22.0'), {
      name: 'mllabs-native-tensorflow',
      private: true,
      description: 'Native TensorFlow for ML Labs, installed on demand. Safe to delete: ML Labs then trains with WebAssembly or JavaScript.',
      dependencies: { '@tensorflow/tfjs-node': '4.22.0' },
      allowScripts: { '@tensorflow/tfjs-node': true },
    });
    assert.deepStrictEqual(npmInstallArgs('/home/me/.mllabs/native.installing'), [
      'install',
      '--prefix',
      '/home/me/.mllabs/native.installing',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts=false',
      '--foreground-scripts',
    ]);
  });

  it('finds npm on the PATH without a shell: the executable, or on Windows the node.exe and npm-cli.js behind npm.cmd', () => {
    const files =
      (...f: string[]) =>
      (p: string) =>
        f.includes(p);
    assert.deepStrictEqual(resolveNpm('/d', { PATH: '/usr/local/bin:/usr/bin' }, 'linux', files('/usr/bin/npm')), { command: '/usr/bin/npm', args: [] });
    const nodeDir = 'C:\\Program Files\\nodejs';
    assert.deepStrictEqual(
      resolveNpm(
        'C:\\d',
        { Path: `C:\\Windows;${nodeDir}` },
        'win32',
        files(`${nodeDir}\\npm.cmd`, `${nodeDir}\\node.exe`, `${nodeDir}\\node_modules\\npm\\bin\\npm-cli.js`),
      ),
      { command: `${nodeDir}\\node.exe`, args: [`${nodeDir}\\node_modules\\npm\\bin\\npm-cli.js`] },
    );
  });

  it('says what to do when there is no npm, or only an npm.cmd it cannot start without a shell', () => {
    assert.throws(
      () => resolveNpm('/home/me/.mllabs/native', { PATH: '/usr/bin' }, 'linux', () => false),
      (err: unknown) => err instanceof NativeInstallError && err.kind === 'npm-missing' && err.message === MESSAGES.npmMissing('/home/me/.mllabs/native'),
    );
    assert.match(
      MESSAGES.npmMissing('/x'),
      /npm was not found on the PATH\. .* install Node\.js \(https:\/\/nodejs\.org\), then try again — or run: npm install --prefix "\/x" @tensorflow\/tfjs-node@/,
    );
    const shim = 'C:\\Users\\me\\scoop\\shims';
    assert.throws(
      () => resolveNpm('C:\\native', { Path: shim }, 'win32', (p) => p === `${shim}\\npm.cmd`),
      (err: unknown) =>
        err instanceof NativeInstallError &&
        err.kind === 'npm-missing' &&
        /^Found C:\\Users\\me\\scoop\\shims\\npm\.cmd, but not the npm-cli\.js it starts .* run: npm install --prefix "C:\\native"/.test(err.message),
    );
  });

  it('explains a failure from what npm printed: offline (registry or TensorFlow download), no such version, a failed script', () => {
    const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, 'npm', name), 'utf8');
    const registry = classifyNpmFailure(1, fixture('offline-registry.txt'));
    assert.strictEqual(registry.kind, 'offline');
    assert.strictEqual(registry.message, MESSAGES.offline('ECONNREFUSED for 127.0.0.1:9'));
    assert.match(
      registry.message,
      /^Could not download native TensorFlow \(ECONNREFUSED for 127\.0\.0\.1:9\): .* Connect to the internet \(or set npm's proxy\), then try again\./,
    );
    const download = classifyNpmFailure(1, fixture('offline-install-script.txt'));
    assert.strictEqual(download.kind, 'offline');
    assert.strictEqual(download.message, MESSAGES.offline('ENOTFOUND for storage.googleapis.com'));
    const version = classifyNpmFailure(1, fixture('no-such-version.txt'));
    assert.strictEqual(version.kind, 'registry');
    assert.strictEqual(version.message, MESSAGES.registry('ETARGET: notarget No matching version found for @tensorflow/tfjs-node@99.0.0.'));
    const script = classifyNpmFailure(
      1,
      '> node scripts/install.js\nError: libtensorflow archive is corrupt\nnpm error code 1\nnpm error command failed\nnpm error command sh -c node scripts/install.js\n',
    );
    assert.strictEqual(script.kind, 'script-failed');
    assert.strictEqual(script.message, "@tensorflow/tfjs-node's install script failed: > node scripts/install.js / Error: libtensorflow archive is corrupt");
    const noNode = classifyNpmFailure(127, "/usr/bin/env: 'node': No such file or directory\n", '/n');
    assert.strictEqual(noNode.kind, 'npm-missing');
  });
});

describe('native TensorFlow: installing', function () {
  this.timeout(60_000);

  /** A stand-in for npm: behaves as FAKE_NPM says, records its arguments, lays out the package on success. */
  function fakeNpm(): Command {
    const script = path.join(tempDir(), 'npm.js');
    fs.writeFileSync(
      script,
      `
      const fs = require('fs'); const path = require('path'); const { spawn } = require('child_process');
      const args = process.argv.slice(2); const prefix = args[args.indexOf('--prefix') + 1];
      fs.writeFileSync(path.join(prefix, '..', 'npm-call.json'), JSON.stringify({ args, packageJson: JSON.parse(fs.readFileSync(path.join(prefix, 'package.json'), 'utf8')) }));
      const mode = process.env.FAKE_NPM;
      const place = (binding) => {
        const pkg = path.join(prefix, 'node_modules', '@tensorflow', 'tfjs-node');
        fs.mkdirSync(path.join(pkg, 'lib', 'napi-v8'), { recursive: true });
        fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: '@tensorflow/tfjs-node', version: '${BUNDLED_TFJS_VERSION}' }));
        if (binding) fs.writeFileSync(path.join(pkg, 'lib', 'napi-v8', 'tfjs_binding.node'), 'binary');
        fs.mkdirSync(path.join(prefix, 'node_modules', '@tensorflow', 'tfjs'), { recursive: true });
        fs.writeFileSync(path.join(prefix, 'node_modules', '@tensorflow', 'tfjs', 'package.json'), '{"name":"@tensorflow/tfjs"}');
      };
      if (mode === 'ok') { console.log('* Downloading libtensorflow'); place(true); console.log('added 77 packages in 9s'); }
      else if (mode === 'no-script') { place(false); console.log('added 77 packages in 2s'); }
      else if (mode === 'offline') { process.stderr.write(fs.readFileSync(process.env.FAKE_NPM_OUTPUT, 'utf8')); process.exit(1); }
      else if (mode === 'hang') {
        // An install script still downloading: a child of npm's.
        const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
        fs.writeFileSync(path.join(prefix, '..', 'pids.json'), JSON.stringify([process.pid, child.pid]));
        setInterval(() => {}, 1000);
      }
      `,
    );
    return { command: process.execPath, args: [script] };
  }

  const env = (mode: string, extra: Record<string, string> = {}) => ({ ...process.env, FAKE_NPM: mode, ...extra });
  const linux = { platform: 'linux', arch: 'x64' };

  it('installs into <base>/native, replacing the previous install only when the new one is complete', async () => {
    const base = tempDir();
    const dir = nativeDirIn(base);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'old-install'), '');
    const lines: string[] = [];
    const result = await installNativeBackend({ base, npm: fakeNpm(), env: env('ok'), onOutput: (l) => lines.push(l), ...linux });
    assert.deepStrictEqual(result, { dir, packageDir: path.join(dir, 'node_modules', '@tensorflow', 'tfjs-node'), version: BUNDLED_TFJS_VERSION });
    assert.strictEqual(findNativeBackend(dir), result.packageDir);
    assert.ok(!fs.existsSync(path.join(dir, 'old-install')));
    assert.ok(!fs.existsSync(`${dir}.installing`), 'no staging folder left');
    assert.deepStrictEqual(lines, ['* Downloading libtensorflow', 'added 77 packages in 9s']);
    const call = JSON.parse(fs.readFileSync(path.join(base, 'npm-call.json'), 'utf8')) as { args: string[]; packageJson: unknown };
    assert.deepStrictEqual(call.args, npmInstallArgs(`${dir}.installing`));
    assert.deepStrictEqual(call.packageJson, nativePackageJson());
  });

  it('offline: the message says so, and the previous install is untouched', async () => {
    const base = tempDir();
    placeNativePackage(nativeDirIn(base));
    await assert.rejects(
      installNativeBackend({
        base,
        npm: fakeNpm(),
        env: env('offline', { FAKE_NPM_OUTPUT: path.join(FIXTURES, 'npm', 'offline-install-script.txt') }),
        ...linux,
      }),
      (err: unknown) => err instanceof NativeInstallError && err.kind === 'offline' && err.message === MESSAGES.offline('ENOTFOUND for storage.googleapis.com'),
    );
    assert.ok(findNativeBackend(nativeDirIn(base)), 'the previous install still works');
    assert.ok(!fs.existsSync(`${nativeDirIn(base)}.installing`));
  });

  it('an install whose script npm skipped is not taken for a working one', async () => {
    const base = tempDir();
    await assert.rejects(
      installNativeBackend({ base, npm: fakeNpm(), env: env('no-script'), ...linux }),
      (err: unknown) => err instanceof NativeInstallError && err.kind === 'scripts-blocked' && err.message === MESSAGES.scriptsBlocked(),
    );
    assert.ok(!fs.existsSync(nativeDirIn(base)));
  });

  it('cancel stops npm and the script it started, and changes nothing', async () => {
    const base = tempDir();
    const controller = new AbortController();
    const pidsFile = path.join(base, 'pids.json');
    const poll = setInterval(() => fs.existsSync(pidsFile) && controller.abort(), 20);
    await assert.rejects(
      installNativeBackend({ base, npm: fakeNpm(), env: env('hang'), signal: controller.signal, ...linux }),
      (err: unknown) => err instanceof NativeInstallError && err.kind === 'cancelled' && err.message === 'Installation cancelled; nothing was changed.',
    );
    clearInterval(poll);
    const pids = JSON.parse(fs.readFileSync(pidsFile, 'utf8')) as number[];
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 50 && pids.some(alive); i++) await new Promise((r) => setTimeout(r, 40));
    assert.deepStrictEqual(pids.filter(alive), [], 'npm and its child are gone');
    assert.ok(!fs.existsSync(nativeDirIn(base)) && !fs.existsSync(`${nativeDirIn(base)}.installing`));
  });

  it('npm that cannot be started, and a platform without native TensorFlow, are explained', async () => {
    const base = tempDir();
    await assert.rejects(
      installNativeBackend({ base, npm: { command: path.join(base, 'no-npm-here'), args: [] }, ...linux }),
      (err: unknown) => err instanceof NativeInstallError && err.kind === 'npm-missing' && err.message === MESSAGES.npmMissing(nativeDirIn(base)),
    );
    await assert.rejects(
      installNativeBackend({ base, npm: fakeNpm(), env: env('ok'), platform: 'linux', arch: 'arm64' }),
      (err: unknown) => err instanceof NativeInstallError && err.kind === 'unsupported' && err.message === MESSAGES.unsupported('linux', 'arm64'),
    );
    assert.ok(!fs.existsSync(nativeDirIn(base)));
  });

  it('the real npm, with the registry unreachable: offline, explained, nothing changed', async function () {
    let npm: Command;
    try {
      npm = resolveNpm('');
    } catch {
      return this.skip();
    }
    const base = tempDir();
    // A closed port as the registry and an empty cache: npm must ask the network, and cannot.
    const offline = {
      ...process.env,
      npm_config_registry: 'http://127.0.0.1:9/',
      npm_config_cache: path.join(base, 'cache'),
      npm_config_fetch_retries: '0',
      npm_config_update_notifier: 'false',
    };
    await assert.rejects(installNativeBackend({ base, npm, env: offline, ...linux }), (err: unknown) => {
      assert.ok(err instanceof NativeInstallError, String(err));
      assert.strictEqual(err.kind, 'offline', err.message);
      assert.strictEqual(err.message, MESSAGES.offline('ECONNREFUSED for 127.0.0.1:9'));
      return true;
    });
    assert.ok(!fs.existsSync(nativeDirIn(base)) && !fs.existsSync(`${nativeDirIn(base)}.installing`));
  });
});
