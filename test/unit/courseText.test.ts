// What the course's lab.json files say to learners, read before any run: causes that exist, and text
// in plain words (no run output ids, no doubled words). The hints filled in at run time are linted by
// the same rule in the course test (test/integration/labs/course.test.ts).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { loadCatalog } from '../../src/core/lab/catalog';
import { CAUSE_IDS } from '../../src/core/grade/causes';
import { RUN_CHECK_ID, RUN_FAILURE_CAUSES } from '../../src/core/grade/grader';
import { REPO_ROOT } from '../helpers';
import { textProblems } from '../textLint';

const catalog = loadCatalog(path.join(REPO_ROOT, 'lab-templates'));
const HOUSING = path.join(REPO_ROOT, 'lab-templates', '_data', 'california-housing', 'california_housing.csv');

function datasetColumns(dataset: string): string[] {
  if (dataset !== 'california-housing') return [];
  return fs.readFileSync(HOUSING, 'utf8').slice(0, 1000).split('\n')[0].trim().split(',');
}

describe('course text and causes', () => {
  it('the text linter catches what it is for', () => {
    assert.deepStrictEqual(textProblems('Your test_rmse is high.'), ['an id ("test_rmse")']);
    assert.deepStrictEqual(textProblems('Lower the the rate.'), ['a doubled word ("the the")']);
    assert.deepStrictEqual(textProblems('It reached {output.feature_std_max} here, 10 10 times.'), []);
    assert.deepStrictEqual(textProblems('needs falls by less than 3 %'), ['"needs" before a verb ("needs falls")']);
  });

  for (const lab of catalog.labs) {
    const m = lab.manifest;
    const known = new Set([...CAUSE_IDS, ...RUN_FAILURE_CAUSES, ...m.diagnoses.map((d) => d.id)]);
    // The data's column names are words the learner writes in the code.
    const columns = new Set(datasetColumns(m.data.dataset));

    it(`${m.id}: every cause a check lists or a wrong solution names exists`, () => {
      for (const c of m.checks) for (const id of c.causes ?? []) assert.ok(known.has(id), `check ${c.id} lists unknown cause "${id}"`);
      for (const w of m.solutions.wrong) {
        assert.ok(known.has(w.cause), `${w.file} names unknown cause "${w.cause}"`);
        for (const id of w.fails) assert.ok(id === RUN_CHECK_ID || m.checks.some((c) => c.id === id), `${w.file} fails unknown check "${id}"`);
      }
    });

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
