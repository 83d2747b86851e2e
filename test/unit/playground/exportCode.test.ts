import * as assert from 'assert';
import * as path from 'path';
import * as ts from 'typescript';
import { resolveConfig } from '../../../src/core/playground/config';
import { EXPORT_BEGIN, EXPORT_END, exportModelCode, regularizerSource, writeExportInto } from '../../../src/core/playground/exportCode';
import { presetConfig } from '../../../src/core/playground/presets';

/** Type-checks a source file against the project's installed @tensorflow/tfjs types. */
function typeErrors(source: string): string[] {
  const root = path.resolve(__dirname, '../../../..');
  const file = path.join(root, '__exported_model__.ts');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    skipLibCheck: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const read = host.readFile.bind(host);
  const exists = host.fileExists.bind(host);
  host.readFile = (f) => (path.resolve(f) === file ? source : read(f));
  host.fileExists = (f) => path.resolve(f) === file || exists(f);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (f, v, onError, create) => (path.resolve(f) === file ? ts.createSourceFile(f, source, v) : getSourceFile(f, v, onError, create));
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('playground code export', () => {
  it('writes the L1 lab network as a tf.sequential model', () => {
    const code = exportModelCode(presetConfig('l1-sparsity'));
    assert.match(code, /import \* as tf from '@tensorflow\/tfjs';/);
    assert.match(code, /FEATURES = \['x1', 'x2', 'x1Squared', 'x2Squared', 'x1TimesX2', 'sinX1', 'sinX2'\]/);
    assert.match(code, /return \[x1, x2, x1 \* x1, x2 \* x2, x1 \* x2, Math\.sin\(x1\), Math\.sin\(x2\)\];/);
    const layers = code.split('\n').filter((l) => l.includes('tf.layers.dense('));
    assert.strictEqual(layers.length, 3);
    assert.match(layers[0], /inputShape: \[7\], units: 6, activation: 'tanh'/);
    assert.match(layers[1], /units: 6, activation: 'tanh'/);
    assert.match(layers[2], /units: 1, activation: 'tanh'/);
    assert.ok(layers.every((l) => l.includes('kernelRegularizer: regularizer()')));
    assert.match(code, /tf\.regularizers\.l1\(\{ l1: 0\.01 \}\)/);
    assert.match(code, /tf\.train\.sgd\(0\.03\)/);
  });

  it("halves the L2 rate (the playground's penalty is ½·rate·w²), omits the regularizer for none", () => {
    assert.strictEqual(regularizerSource({ regularization: 'L2', regularizationRate: 0.3 }), 'tf.regularizers.l2({ l2: 0.15 })');
    assert.strictEqual(regularizerSource({ regularization: 'none', regularizationRate: 0.3 }), undefined);
    assert.ok(!exportModelCode(resolveConfig()).includes('regularizer'));
  });

  it('uses a linear output for regression and no hidden layer when there is none', () => {
    const code = exportModelCode(resolveConfig({ dataset: 'reg-plane', hidden: [], features: ['x1'] }));
    const layers = code.match(/tf\.layers\.dense\(/g)!;
    assert.strictEqual(layers.length, 1);
    assert.match(code, /inputShape: \[1\], units: 1, activation: 'linear'/);
  });

  it('honours its options and rejects what would not compile', () => {
    const code = exportModelCode(resolveConfig(), { functionName: 'createModel', includeImport: false, includeFeatures: false, includeCompile: false });
    assert.ok(code.includes('export function createModel(): tf.Sequential'));
    assert.ok(!code.includes('import ') && !code.includes('featuresOf') && !code.includes('compileModel'));
    assert.throws(() => exportModelCode(resolveConfig(), { functionName: 'not valid' }), RangeError);
    assert.throws(() => exportModelCode(resolveConfig(), { tfModule: "x'; evil" }), RangeError);
    assert.throws(() => exportModelCode(resolveConfig({ features: [] })), RangeError);
  });

  it("writes into a learner's file between markers, replacing an earlier export, importing tf once", () => {
    const file = "import * as tf from '@tensorflow/tfjs';\n\nexport const EPOCHS = 100;\n";
    const once = writeExportInto(file, resolveConfig());
    assert.ok(once.startsWith(file));
    assert.strictEqual(once.match(/import \* as tf/g)!.length, 1);
    assert.ok(once.includes(EXPORT_BEGIN) && once.includes(EXPORT_END));
    const twice = writeExportInto(once + '// after\n', resolveConfig({ hidden: [3] }));
    assert.strictEqual(twice.split(EXPORT_BEGIN).length, 2);
    assert.ok(twice.includes('units: 3') && !twice.includes('units: 4'));
    assert.ok(twice.endsWith('// after\n'));
    const fresh = writeExportInto('', resolveConfig());
    assert.ok(fresh.startsWith(EXPORT_BEGIN) && fresh.includes("import * as tf from '@tensorflow/tfjs';"));
  });

  it('type-checks against the installed TensorFlow.js', function () {
    this.timeout(60000);
    const code = exportModelCode(
      resolveConfig({ features: ['x1', 'sinX2'], hidden: [8, 3], activation: 'relu', regularization: 'L2', regularizationRate: 0.003 }),
    );
    assert.deepStrictEqual(typeErrors(code), []);
  });
});
