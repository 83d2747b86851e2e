// Every lab of the course, from its lab.json: the starter fails; the reference and every correct
// alternative pass; every wrong solution fails the checks it names, and the diagnosis names the cause
// it was written for. With MLLABS_SEEDS=n every solution runs on seeds 1..n; without it each runs once,
// on a seed that turns through 1, 2, 3 across the course, so CI sees several seeds at the cost of one
// run per solution (`mllabs verify --seeds 5` calibrates).
import * as assert from 'assert';
import * as path from 'path';
import { loadCatalog } from '../../../src/core/lab/catalog';
import { attempt } from '../../../src/cli/verify';
import { describeSlow, REPO_ROOT } from '../../helpers';
import { datasetColumns, textProblems } from '../../textLint';

const ALL_SEEDS = process.env.MLLABS_SEEDS ? Array.from({ length: Number(process.env.MLLABS_SEEDS) }, (_, i) => i + 1) : undefined;
let turn = 0;
const seedsFor = (): number[] => ALL_SEEDS ?? [1 + (turn++ % 3)];
const catalog = loadCatalog(path.join(REPO_ROOT, 'lab-templates'));

for (const lab of catalog.labs) {
  describeSlow(`course lab ${lab.manifest.id}`, function () {
    this.timeout(300_000);
    // The data's column names are words the learner's code uses (read once per lab).
    const columns = datasetColumns(lab.manifest.data.dataset);
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
      const SEEDS = seedsFor();
      it(`${path.basename(solution.file)} passes on seed${SEEDS.length > 1 ? 's' : ''} ${SEEDS.join(', ')} (${solution.why})`, async () => {
        for (const seed of SEEDS) {
          const r = await attempt(REPO_ROOT, lab, solution.file, { backend: 'cpu', seed });
          assert.strictEqual(r.grade.passed, true, `seed ${seed}: ${summary(r)}`);
        }
      });
    }

    for (const wrong of lab.manifest.solutions.wrong) {
      const SEEDS = seedsFor();
      it(`${path.basename(wrong.file)} fails ${wrong.fails.join(', ')} for ${wrong.cause} on seed${SEEDS.length > 1 ? 's' : ''} ${SEEDS.join(', ')}`, async () => {
        for (const seed of SEEDS) {
          const r = await attempt(REPO_ROOT, lab, wrong.file, { backend: 'cpu', seed });
          const failed = r.grade.results.filter((x) => x.status === 'fail');
          for (const id of wrong.fails)
            assert.ok(
              failed.some((x) => x.id === id),
              `seed ${seed}: ${id} passed; ${summary(r)}`,
            );
          assert.ok(
            failed.some((x) => x.cause === wrong.cause),
            `seed ${seed}: no failed check names ${wrong.cause}; ${summary(r)}`,
          );
          // A hint speaks plainly: no run output ids.
          const ids = Object.keys({ ...r.record.outputs, ...r.record.reported }).filter((k) => k.includes('_'));
          for (const x of failed) for (const id of ids) assert.ok(!`${x.message} ${x.hint ?? ''}`.includes(id), `"${id}" in: ${x.message} / ${x.hint}`);
          for (const x of failed) assert.deepStrictEqual(textProblems(`${x.message}. ${x.hint ?? ''}`, columns), [], `${x.message} / ${x.hint}`);
        }
      });
    }
  });
}
