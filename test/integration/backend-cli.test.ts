// `mllabs backend` and `mllabs backend install` as a learner runs them: what they print, where they
// look ($MLLABS_HOME/native), and an install that cannot reach the registry.
import * as assert from 'assert';
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { BUNDLED_TFJS_VERSION } from '../../src/core/native/location';
import { MESSAGES } from '../../src/core/native/install';
import { REPO_ROOT, tempDir } from '../helpers';
import { FAKE_NATIVE_INDEX, placeNativePackage } from '../nativeFixture';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, NO_COLOR: '1', ...env } }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('mllabs backend', function () {
  this.timeout(60_000);

  it('says native TensorFlow is not installed, where it would go and the command that installs it', async function () {
    if (!['linux-x64', 'darwin-x64', 'darwin-arm64', 'win32-x64'].includes(`${process.platform}-${process.arch}`)) this.skip();
    const home = tempDir();
    const { code, stdout } = await cli(['backend'], { MLLABS_HOME: home });
    assert.strictEqual(code, 0);
    assert.match(
      stdout,
      new RegExp(
        `native TensorFlow \\(@tensorflow/tfjs-node\\): not installed — mllabs backend install downloads it once \\(about 100 MB\\) into ${path.join(home, 'native').replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}`,
      ),
    );
    assert.match(stdout, new RegExp(`bundled: TensorFlow\\.js ${BUNDLED_TFJS_VERSION.replace(/\./g, '\\.')} with the wasm`));
    const json = JSON.parse((await cli(['backend', '--json'], { MLLABS_HOME: home })).stdout) as Record<string, unknown>;
    assert.deepStrictEqual(
      { installed: json.installed, dir: json.dir, supported: json.supported },
      { installed: false, dir: path.join(home, 'native'), supported: true },
    );
  });

  it('finds an install in $MLLABS_HOME/native and proves it runs an op', async () => {
    const home = tempDir();
    placeNativePackage(path.join(home, 'native'), { index: FAKE_NATIVE_INDEX });
    const { code, stdout } = await cli(['backend', '--json'], { MLLABS_HOME: home });
    assert.strictEqual(code, 0);
    const status = JSON.parse(stdout) as Record<string, unknown>;
    assert.deepStrictEqual(
      { installed: status.installed, version: status.version, works: status.works },
      { installed: true, version: BUNDLED_TFJS_VERSION, works: true },
    );
    const text = await cli(['backend'], { MLLABS_HOME: home });
    assert.match(text.stdout, /installed and working/);
  });

  it('install, offline: exit code 2, the reason and what to do, nothing left behind', async function () {
    if (!['linux-x64', 'darwin-x64', 'darwin-arm64', 'win32-x64'].includes(`${process.platform}-${process.arch}`)) this.skip();
    const home = tempDir();
    const { code, stderr } = await cli(['backend', 'install'], {
      MLLABS_HOME: home,
      npm_config_registry: 'http://127.0.0.1:9/',
      npm_config_cache: path.join(tempDir(), 'cache'),
      npm_config_fetch_retries: '0',
    });
    assert.strictEqual(code, 2, stderr);
    assert.match(stderr, new RegExp(`installing @tensorflow/tfjs-node ${BUNDLED_TFJS_VERSION.replace(/\./g, '\\.')} into .* with npm`));
    assert.ok(stderr.includes(`error: ${MESSAGES.offline('ECONNREFUSED for 127.0.0.1:9')}`), stderr);
    assert.deepStrictEqual(fs.readdirSync(home), []);
  });
});
