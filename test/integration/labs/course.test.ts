// Every lab of the course, from its lab.json: the starter fails; the reference and every correct
// alternative pass; every wrong solution fails the checks it names, and the diagnosis names the cause
// it was written for. On MLLABS_SEEDS seeds (default 2; `mllabs verify --seeds 5` for calibration).
import * as assert from 'assert';
import * as path from 'path';
import { loadCatalog } from '../../../src/core/lab/catalog';
import { attempt } from '../../../src/cli/verify';
import { describeSlow, REPO_ROOT } from '../../helpers';

const SEEDS = Array.from({ length: Number(process.env.MLLABS_SEEDS ?? 2) }, (_, i) => i + 1);
const catalog = loadCatalog(path.join(REPO_ROOT, 'lab-templates'));

for (const lab of catalog.labs) {
  describeSlow(`course lab ${lab.manifest.id}`, function () {
    this.timeout(300_000);
    const summary = (r: Awaited<ReturnType<typeof attempt>>) =>
      JSON.stringify(
        r.grade.results.filter((x) => x.status !== 'pass').map((x) => ({ id: x.id, message: x.message, cause: x.cause })),
        null,
        1,
      );

    it('the starter fails', async () => {
      const r = await attempt(REPO_ROOT, lab, undefined, { backend: 'cpu', seed: 1 });
      assert.strictEqual(r.grade.passed, false);
    });

    for (const solution of [{ file: lab.manifest.solutions.reference, why: 'the reference' }, ...lab.manifest.solutions.correct]) {
      it(`${path.basename(solution.file)} passes on seeds ${SEEDS.join(', ')} (${solution.why})`, async () => {
        for (const seed of SEEDS) {
          const r = await attempt(REPO_ROOT, lab, solution.file, { backend: 'cpu', seed });
          assert.strictEqual(r.grade.passed, true, `seed ${seed}: ${summary(r)}`);
        }
      });
    }

    for (const wrong of lab.manifest.solutions.wrong) {
      it(`${path.basename(wrong.file)} fails ${wrong.fails.join(', ')} for ${wrong.cause ?? 'its reason'} on seeds ${SEEDS.join(', ')}`, async () => {
        for (const seed of SEEDS) {
          const r = await attempt(REPO_ROOT, lab, wrong.file, { backend: 'cpu', seed });
          const failed = r.grade.results.filter((x) => x.status === 'fail');
          for (const id of wrong.fails) assert.ok(failed.some((x) => x.id === id), `seed ${seed}: ${id} passed; ${summary(r)}`);
          if (wrong.cause) assert.ok(failed.some((x) => x.cause === wrong.cause), `seed ${seed}: no failed check names ${wrong.cause}; ${summary(r)}`);
          // A hint speaks plainly: no run output ids.
          const ids = Object.keys({ ...r.record.outputs, ...r.record.reported }).filter((k) => k.includes('_'));
          for (const x of failed) for (const id of ids) assert.ok(!`${x.message} ${x.hint ?? ''}`.includes(id), `"${id}" in: ${x.message} / ${x.hint}`);
        }
      });
    }
  });
}
