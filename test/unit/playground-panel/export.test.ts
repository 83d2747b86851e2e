import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { resolveConfig } from '../../../src/core/playground/config';
import { EXPORT_BEGIN, EXPORT_END } from '../../../src/core/playground/exportCode';
import { presetConfig } from '../../../src/core/playground/presets';
import {
  declares,
  describeNetwork,
  exportOptions,
  exportOptionsFor,
  lineCount,
  minimalEdit,
  planExport,
  type ExportCandidate,
} from '../../../src/core/playground/exportEdit';
import { REPO_ROOT } from './fixtures';

function apply(text: string, e: { start: number; end: number; text: string }): string {
  return text.slice(0, e.start) + e.text + text.slice(e.end);
}

const template = (lab: string, file: string) => fs.readFileSync(path.join(REPO_ROOT, 'lab-templates', lab, file), 'utf8');

describe('playground export to code', () => {
  it("appends the network to a lab's file as a TensorFlow.js model, keeping every character of the learner's text", () => {
    const original = template('l1-sparsity', 'network.ts');
    const plan = planExport(original, presetConfig('l1-sparsity'));
    assert.ok(plan.text.startsWith(original), "the learner's text is untouched");
    assert.strictEqual(plan.replaced, false);
    assert.strictEqual(apply(original, plan.edit), plan.text);
    assert.strictEqual(plan.edit.start, original.length, 'an insertion at the end, nothing replaced');
    assert.strictEqual(plan.edit.end, original.length);
    const block = plan.text.slice(plan.text.indexOf(EXPORT_BEGIN), plan.text.indexOf(EXPORT_END) + EXPORT_END.length);
    assert.match(block, /import \* as tf from '@tensorflow\/tfjs';/);
    assert.match(block, /export function buildModel\(\): tf\.Sequential/);
    assert.match(block, /inputShape: \[7\], units: 6/);
    assert.match(block, /tf\.regularizers\.l1\(\{ l1: 0\.01 \}\)/);
  });

  it('a second export replaces the first, and the edit touches only the block', () => {
    const original = template('l1-sparsity', 'network.ts') + '\n// my notes after the export\n';
    const once = planExport(original, presetConfig('l1-sparsity')).text + '// more notes\n';
    const again = planExport(once, resolveConfig({ features: ['x1Squared', 'x2Squared'], hidden: [] }));
    assert.strictEqual(again.replaced, true);
    assert.strictEqual(again.text.split(EXPORT_BEGIN).length, 2, 'one block');
    assert.ok(again.text.includes('inputShape: [2], units: 1') && !again.text.includes('units: 6'));
    assert.ok(again.text.startsWith(original) && again.text.endsWith('// more notes\n'));
    const blockStart = once.indexOf(EXPORT_BEGIN);
    const blockEnd = once.indexOf(EXPORT_END) + EXPORT_END.length;
    assert.ok(again.edit.start >= blockStart && again.edit.end <= blockEnd, 'the edit stays inside the old block');
    assert.strictEqual(apply(once, again.edit), again.text);
    // The same network again: nothing to change.
    const same = planExport(again.text, resolveConfig({ features: ['x1Squared', 'x2Squared'], hidden: [] }));
    assert.deepStrictEqual(same.edit, { start: same.edit.start, end: same.edit.start, text: '' });
  });

  it("renames what would clash with the learner's own declarations", () => {
    const model = template('logistic-regression', 'model.ts');
    assert.ok(declares(model, 'buildModel'));
    const options = exportOptionsFor(model);
    assert.strictEqual(options.functionName, 'buildPlaygroundModel');
    const plan = planExport(model, resolveConfig());
    assert.strictEqual(plan.functionName, 'buildPlaygroundModel');
    assert.strictEqual(plan.text.match(/import \* as tf/g)!.length, 1, 'the file already imports tf');
    assert.deepStrictEqual(
      exportOptionsFor('const FEATURES = 1;\nfunction compileModel() {}\nfunction buildPlaygroundModel() {}\nexport function buildModel() {}'),
      {
        functionName: 'buildPlaygroundModel2',
        includeFeatures: false,
        includeCompile: false,
      },
    );
    assert.deepStrictEqual(exportOptionsFor("import { featuresOf } from './x';"), { functionName: 'buildModel', includeFeatures: false, includeCompile: true });
    // Names inside an earlier exported block are the export's own: no renaming on re-export.
    const once = planExport('', resolveConfig()).text;
    assert.strictEqual(exportOptionsFor(once).functionName, 'buildModel');
    assert.strictEqual(declares('const buildModels = 1; // buildModel', 'buildModel'), false);
  });

  it('computes the smallest edit for any pair of texts, never splitting a character', () => {
    const pairs: [string, string][] = [
      ['', ''],
      ['', 'abc'],
      ['abc', ''],
      ['abc', 'abc'],
      ['abcdef', 'abXYef'],
      ['aaa', 'aaaa'],
      ['abab', 'ab'],
      ['x😀y', 'x😃y'],
      ['😀', '😀😀'],
    ];
    for (const [a, b] of pairs) {
      const e = minimalEdit(a, b);
      assert.strictEqual(apply(a, e), b, `${a} → ${b}`);
      assert.ok(e.start <= e.end);
      assert.doesNotMatch(e.text, /^[\udc00-\udfff]|[\ud800-\udbff]$/, 'whole characters only');
    }
    assert.deepStrictEqual(minimalEdit('abcdef', 'abXYef'), { start: 2, end: 4, text: 'XY' });
  });

  it("offers the preset's own lab first, started or not, and never picks a lab for the learner", () => {
    const c = (labId: string, file: string, passed = false): ExportCandidate => ({ labId, labDir: `/w/${labId}`, file: `/w/${labId}/${file}`, passed });
    const l1 = c('l1-sparsity', 'network.ts');
    const nn = c('nn-playground', 'network.ts');
    const passedHandTuning = c('hand-tuning', 'model.ts', true);
    const readme = c('nn-playground', 'README.md');
    // The preset's lab is in the workspace: its file comes first, the others follow, passed labs last.
    assert.deepStrictEqual(exportOptions([passedHandTuning, nn, l1, readme], { presetLab: 'l1-sparsity' }), [
      { kind: 'file', candidate: l1, ofPreset: true },
      { kind: 'file', candidate: nn, ofPreset: false },
      { kind: 'file', candidate: passedHandTuning, ofPreset: false },
    ]);
    // Not started yet: starting it is offered first, ahead of a passed lab whose file happens to be open.
    const notStarted = exportOptions([passedHandTuning], { presetLab: 'l1-sparsity' });
    assert.deepStrictEqual(notStarted[0], { kind: 'start', labId: 'l1-sparsity' });
    assert.strictEqual(notStarted.length, 2, 'the passed lab is still offered, after it');
    // A preset of no known lab: nothing to start.
    assert.deepStrictEqual(exportOptions([nn], { presetLab: 'gone', canStart: () => false }), [{ kind: 'file', candidate: nn, ofPreset: false }]);
    assert.deepStrictEqual(exportOptions([]), []);
  });

  it('says what it wrote: the network in one line and the lines of the block', () => {
    assert.strictEqual(describeNetwork(presetConfig('l1-sparsity')), '7 inputs → 6 → 6 → 1 (tanh), L1 at 0.01');
    assert.strictEqual(describeNetwork(resolveConfig({ features: ['x1'], hidden: [] })), '1 input → 1');
    assert.strictEqual(lineCount(''), 0);
    assert.strictEqual(lineCount('a\nb\n'), 2);
    assert.strictEqual(lineCount('a\nb'), 2);
  });
});
