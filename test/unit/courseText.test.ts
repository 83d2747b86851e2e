// What the course's lab.json files say to learners, read before any run: text in plain words (no run
// output ids, no doubled words). The hints filled in at run time are linted by the same rule in the
// course test (test/integration/labs/course.test.ts); that every cause named exists is the static
// course check's job (test/unit/courseCheck.test.ts).
import * as assert from 'assert';
import * as path from 'path';
import { loadCatalog } from '../../src/core/lab/catalog';
import { REPO_ROOT } from '../helpers';
import { datasetColumns, textProblems } from '../textLint';

const catalog = loadCatalog(path.join(REPO_ROOT, 'lab-templates'));

describe('course text', () => {
  it('the text linter catches what it is for', () => {
    assert.deepStrictEqual(textProblems('Your test_rmse is high.'), ['an id ("test_rmse")']);
    assert.deepStrictEqual(textProblems('Lower the the rate.'), ['a doubled word ("the the")']);
    assert.deepStrictEqual(textProblems('It reached {output.feature_std_max} here, 10 10 times.'), []);
    assert.deepStrictEqual(textProblems('needs falls by less than 3 %'), ['"needs" before a verb ("needs falls")']);
  });

  for (const lab of catalog.labs) {
    const m = lab.manifest;
    // The data's column names are words the learner writes in the code.
    const columns = datasetColumns(m.data.dataset);

    it(`${m.id}: titles, hints and measures are plain words`, () => {
      const texts: [string, string][] = [];
      for (const c of m.checks) {
        texts.push([`check ${c.id} title`, c.title]);
        if (c.hint) texts.push([`check ${c.id} hint`, c.hint]);
        if (c.measures) texts.push([`check ${c.id} measures`, c.measures]);
      }
      for (const d of m.diagnoses) texts.push([`diagnosis ${d.id}`, d.text]);
      const problems = texts.flatMap(([where, text]) => textProblems(text, columns).map((p) => `${where}: ${p}`));
      assert.deepStrictEqual(problems, []);
    });
  }
});
