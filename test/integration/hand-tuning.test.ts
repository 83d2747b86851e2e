// The hand-tuning lab: the reference passes, and each typical mistake fails with a hint naming the fix.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { findLab, loadCatalog } from '../../src/core/lab/catalog';
import { attempt } from '../../src/cli/verify';
import { REPO_ROOT } from '../helpers';

describe('lab: hand-tuning', function () {
  this.timeout(120_000);
  const lab = findLab(loadCatalog(path.join(REPO_ROOT, 'lab-templates')), 'hand-tuning')!;
  const failed = (r: Awaited<ReturnType<typeof attempt>>) => r.grade.results.filter((x) => x.status === 'fail');

  it('the starter fails and says what to do first', async () => {
    const r = await attempt(REPO_ROOT, lab, undefined, { backend: 'cpu', seed: 1 });
    const ids = failed(r).map((x) => x.id);
    assert.ok(ids.includes('label-scaled') && ids.includes('no-todo'), ids.join(', '));
    assert.match(failed(r).find((x) => x.id === 'label-scaled')!.hint!, /averages 209,068 here/);
  });

  it('the reference solution passes on the held-out rows', async () => {
    const r = await attempt(REPO_ROOT, lab, lab.manifest.solutions.reference, { backend: 'cpu', seed: 1 });
    assert.strictEqual(r.grade.passed, true, JSON.stringify(failed(r), null, 2));
    assert.ok(r.record.outputs!.test_rmse! < 85_000);
  });

  it('an unscaled label fails, pointing at labelScale', async () => {
    const r = await attempt(REPO_ROOT, lab, 'solutions/wrong-unscaled-label.ts', { backend: 'cpu', seed: 1 });
    const check = failed(r).find((x) => x.id === 'label-scaled')!;
    assert.match(check.hint!, /Set labelScale = 100000/);
    assert.match(check.location!.file, /model\.ts/);
    assert.ok(failed(r).some((x) => x.id === 'near-optimum'));
  });

  it('a learning rate far too high fails as unstable, pointing at the rate', async () => {
    const r = await attempt(REPO_ROOT, lab, 'solutions/wrong-diverging-rate.ts', { backend: 'cpu', seed: 1 });
    const check = failed(r).find((x) => x.id === 'stable')!;
    assert.match(check.hint!, /learning rate 5 makes the steps overshoot/);
    assert.match(check.message, /val_loss is unstable: at epoch \d+ it jumped to/);
    const source = fs.readFileSync(path.join(lab.dir, 'solutions', 'wrong-diverging-rate.ts'), 'utf8').split('\n');
    assert.strictEqual(check.location!.line, source.findIndex((l) => l.includes('learningRate: 5')) + 1);
  });

  it('one weak feature fails the floor check, which names the feature to add', async () => {
    const r = await attempt(REPO_ROOT, lab, 'solutions/wrong-one-feature.ts', { backend: 'cpu', seed: 1 });
    assert.deepStrictEqual(failed(r).map((x) => x.id), ['add-feature']);
    assert.match(failed(r)[0].hint!, /Add median_income/);
  });
});
