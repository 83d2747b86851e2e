// The gradebook: a journal that survives a kill, a CSV that a spreadsheet cannot be tricked by, and
// the rule for what a second grading of the class skips.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { Gradebook, rowOf, settingsDigest, stillValid, toCsv, type RowInput } from '../../../src/core/classGrading/gradebook';
import { mainMetric, outcomeWithoutRun, type GradingOutcome } from '../../../src/core/classGrading/outcome';
import { loadCatalog, findLab } from '../../../src/core/lab/catalog';
import { REPO_ROOT, tempDir } from '../../helpers';

const input: RowInput = { learner: 'ada', folder: 'ada', filesSha256: 'f1', manifestSha256: 'm1', settings: 's1', metric: 'test_loss' };
const passed: GradingOutcome = {
  kind: 'grade',
  status: 'completed',
  outputs: { test_loss: 0.125 },
  grade: {
    formatVersion: 1,
    lab: 'regularization',
    runId: 'r',
    gradedAt: '',
    passed: true,
    summary: 'all 2 checks passed',
    results: [
      { id: 'a', title: 'A', status: 'pass', optional: false, message: '' },
      { id: 'b', title: 'B', status: 'pass', optional: false, message: '' },
      { id: 'c', title: 'C', status: 'fail', optional: true, message: '' },
    ],
  },
};

describe('class grading: gradebook', () => {
  it('makes a row of an outcome: verdict, required checks, the main value, status and reason', () => {
    const row = rowOf(input, passed);
    assert.deepStrictEqual([row.passed, row.checksPassed, row.checksTotal, row.metric, row.value, row.status], [true, 2, 2, 'test_loss', 0.125, 'completed']);
    const refused = rowOf(input, outcomeWithoutRun('refused', 'network.ts is 200 KB'));
    assert.deepStrictEqual([refused.passed, refused.checksTotal, refused.status, refused.reason], [false, 0, 'refused', 'network.ts is 200 KB']);
  });

  it('writes CSV cells that are quoted where needed and never read as formulas', () => {
    const row = rowOf({ ...input, learner: 'ada' }, { kind: 'grade', status: 'failed', reason: '=HYPERLINK("http://x","click"), then\nmore' });
    const csv = toCsv([row]);
    assert.strictEqual(csv.split('\n')[0], 'learner,passed,checks_passed,checks_total,metric,value,status,reason');
    assert.strictEqual(csv.split('\n')[1], `ada,no,0,0,test_loss,,failed,"'=HYPERLINK(""http://x"",""click""), then more"`);
  });

  it('keeps each grade in a journal that a kill cannot corrupt, and skips what is unchanged', () => {
    const csv = path.join(tempDir(), 'out', 'gradebook.csv');
    const book = new Gradebook(csv);
    book.record(rowOf(input, passed));
    book.record(rowOf({ ...input, learner: 'bob', folder: 'bob' }, outcomeWithoutRun('error', 'the result did not verify')));
    // A kill in the middle of a line.
    fs.appendFileSync(book.paths.journal, '{"learner":"cy","fol');
    const again = new Gradebook(csv);
    assert.deepStrictEqual([...again.rows.keys()], ['ada', 'bob']);
    assert.match(again.warnings[0], /last line is incomplete/);
    assert.ok(fs.readFileSync(book.paths.journal, 'utf8').endsWith('}\n'), 'the torn line is cut off before the next append');
    assert.ok(stillValid(again.rows.get('ada'), input));
    assert.ok(!stillValid(again.rows.get('ada'), { ...input, filesSha256: 'f2' }), 'changed files');
    assert.ok(!stillValid(again.rows.get('ada'), { ...input, manifestSha256: 'm2' }), 'another version of the lab');
    assert.ok(!stillValid(again.rows.get('ada'), { ...input, settings: 's2' }), 'other settings');
    assert.ok(!stillValid(again.rows.get('bob'), { ...input, learner: 'bob', folder: 'bob' }), 'a grading that ended in an error is tried again');
    const written = again.write(['bob', 'ada', 'nobody'], { lab: 'regularization' });
    assert.deepStrictEqual(
      written.map((r) => r.learner),
      ['bob', 'ada'],
    );
    assert.strictEqual(fs.readFileSync(csv, 'utf8').trim().split('\n').length, 3);
    assert.deepStrictEqual(
      (JSON.parse(fs.readFileSync(again.paths.json, 'utf8')) as { learners: { learner: string }[] }).learners.map((r) => r.learner),
      ['bob', 'ada'],
    );
    assert.strictEqual(settingsDigest({ a: 1, b: undefined }), settingsDigest({ a: 1 }));
  });

  it("shows each lab's held-out measure as its main value", () => {
    const catalog = loadCatalog(path.join(REPO_ROOT, 'lab-templates'), undefined);
    const metric = (id: string) => mainMetric(findLab(catalog, id)!.manifest);
    assert.strictEqual(metric('hand-tuning'), 'test_rmse');
    assert.strictEqual(metric('regularization'), 'test_loss');
    assert.strictEqual(metric('multi-class'), 'test_accuracy');
    for (const lab of catalog.labs) assert.ok(mainMetric(lab.manifest), lab.manifest.id);
  });
});
