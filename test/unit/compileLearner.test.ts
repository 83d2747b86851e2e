// The learner's code compiler: the lab's tsconfig.json (scaffolded for the editor) never changes how a
// run compiles, and an esbuild that cannot start here is explained as the installation's problem, not
// as an error in the learner's file.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { CompileError, CompilerUnavailableError, compileLearner, compileWith, type EsbuildApi } from '../../src/child/common/compileLearner';
import { REPO_ROOT, tempDir } from '../helpers';

function lab(files: Record<string, string>): string {
  const dir = tempDir('mllabs-compile-');
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

describe('compiling the learner code', () => {
  it("ignores the lab's tsconfig.json: paths, class field semantics and broken settings alike", async () => {
    const source = "import * as tf from '@tensorflow/tfjs';\nclass A { x = 1 }\nexport const a = new A();\nexport const t = tf;\n";
    const plain = lab({ 'model.ts': source });
    const withConfig = lab({
      'model.ts': source,
      'tsconfig.json': JSON.stringify({
        compilerOptions: { useDefineForClassFields: false, target: 'ES2015', paths: { '@tensorflow/tfjs': ['./elsewhere.ts'] } },
      }),
      'elsewhere.ts': 'export const hijacked = true;\n',
    });
    const a = fs.readFileSync(await compileLearner(plain, 'model.ts', tempDir()), 'utf8');
    const b = fs.readFileSync(await compileLearner(withConfig, 'model.ts', tempDir()), 'utf8');
    const code = (js: string) => js.replace(/\/\/# sourceMappingURL=.*$/m, '');
    assert.strictEqual(code(b), code(a));
    assert.match(b, /Symbol\.for\("mllabs\.tf"\)/, '@tensorflow/tfjs is still the runner instance');
    assert.doesNotMatch(b, /hijacked/);
  });

  it('still reports the learner syntax errors as compile errors at their line', async () => {
    const dir = lab({ 'model.ts': 'export const a = [1, 2;\n', 'tsconfig.json': '{}' });
    await assert.rejects(compileLearner(dir, 'model.ts', tempDir()), (err: unknown) => {
      assert.ok(err instanceof CompileError);
      assert.strictEqual(err.location?.line, 1);
      return true;
    });
  });

  it('explains an esbuild built for another platform: which platform this is, and to install its package', async () => {
    // esbuild's JavaScript API alone, next to another platform's binary package, as in a package
    // installed on the wrong platform.
    const root = tempDir('mllabs-foreign-esbuild-');
    const api = path.join(root, 'node_modules', 'esbuild');
    fs.mkdirSync(path.join(api, 'lib'), { recursive: true });
    for (const f of ['package.json', 'lib/main.js']) fs.copyFileSync(path.join(REPO_ROOT, 'node_modules', 'esbuild', f), path.join(api, f));
    const other = process.platform === 'darwin' ? '@esbuild/linux-x64' : '@esbuild/darwin-arm64';
    fs.mkdirSync(path.join(root, 'node_modules', other), { recursive: true });
    fs.writeFileSync(path.join(root, 'node_modules', other, 'package.json'), JSON.stringify({ name: other, version: '0.0.0' }));
    const foreign = require(api) as EsbuildApi;
    await assert.rejects(compileWith(foreign, lab({ 'model.ts': 'export const a = 1;\n' }), 'model.ts', tempDir()), (err: unknown) => {
      assert.ok(err instanceof CompilerUnavailableError, String(err));
      assert.ok(!(err instanceof CompileError), 'not reported as an error in the learner file');
      assert.match(err.message, new RegExp(`cannot run on this machine \\(${process.platform}-${process.arch}\\): You installed esbuild for another platform`));
      assert.match(err.message, /Install the ML Labs package built for this platform/);
      return true;
    });
  });
});
