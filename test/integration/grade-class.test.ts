// `mllabs grade-class` without Redis: a class graded on this machine, killed mid-way and continued,
// with unsafe folder names and usage errors said clearly.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { tempDir } from '../helpers';
import { buildClass, journalLearners, readCsv, runCli, startCli } from './queueSupport';

describe('mllabs grade-class (on this machine)', function () {
  this.timeout(240_000);

  it('grades a class in parallel, and a run killed mid-way continues with the learners left', async () => {
    const { dir, expected } = buildClass({ small: true });
    // A folder name that is no safe file name, and a stray file beside the folders.
    fs.mkdirSync(path.join(dir, '=cmd|calc'));
    fs.copyFileSync(path.join(dir, 'ref-01', 'network.ts'), path.join(dir, '=cmd|calc', 'network.ts'));
    fs.writeFileSync(path.join(dir, 'README.txt'), 'how to hand in');
    const out = path.join(tempDir('mllabs-gradebook-'), 'book.csv');
    const args = ['grade-class', dir, '--lab', 'regularization', '--out', out, '--time-budget', '15', '--backend', 'cpu', '--concurrency', '2'];

    const first = startCli(args);
    await first.err.waitFor(/^\[2\/6/);
    first.kill('SIGKILL');
    await first.exited;
    const before = journalLearners(out.replace(/\.csv$/, '.jsonl'));
    assert.ok(before.length >= 2 && before.length < 6, `${before.length} graded before the kill`);

    const again = await runCli(args);
    assert.strictEqual(again.code, 0, again.stderr);
    assert.match(again.stderr, /for 6 learners on this machine, 2 at a time; \d+ unchanged since their last grade/);
    assert.match(again.stderr, /README\.txt is not a folder; skipped/);
    const journal = journalLearners(out.replace(/\.csv$/, '.jsonl'));
    assert.strictEqual(journal.length, 6, 'each learner recorded once over both runs');
    assert.strictEqual(new Set(journal).size, 6);
    const rows = readCsv(out);
    const odd = rows.find((r) => r.learner.startsWith('cmd_calc-'));
    assert.ok(odd, rows.map((r) => r.learner).join(', '));
    assert.strictEqual(odd.passed, 'yes', `${odd.status}: ${odd.reason}`);
    for (const row of rows.filter((r) => r !== odd))
      assert.strictEqual(row.passed, expected.get(row.learner)!.passed ? 'yes' : 'no', `${row.learner}: ${row.status} ${row.reason}`);
    assert.ok(fs.existsSync(path.join(out.replace(/\.csv$/, '-junit'), `${odd.learner}.xml`)));
    const junit = fs.readFileSync(path.join(out.replace(/\.csv$/, '-junit'), 'starter-1.xml'), 'utf8');
    assert.match(junit, /<testsuite name="regularization — starter-1"/);
    assert.match(junit, /<failure message=/);

    // Nothing changed: nothing runs again.
    const third = await runCli(args);
    assert.strictEqual(third.code, 0, third.stderr);
    assert.match(third.stderr, /6 unchanged since their last grade/);
    assert.strictEqual(journalLearners(out.replace(/\.csv$/, '.jsonl')).length, 6);
  });

  it('says what is wrong with its arguments', async () => {
    const dir = tempDir();
    const cases: [string[], RegExp][] = [
      [['grade-class', dir, '--lab', 'no-such-lab'], /"no-such-lab" is not a lab of the course/],
      [
        ['grade-class', path.join(dir, 'missing'), '--lab', 'regularization', '--out', path.join(tempDir(), 'g.csv')],
        /does not exist: give the folder that holds one folder per learner/,
      ],
      [['grade-class', dir, '--lab', 'regularization', '--out', path.join(dir, 'g.csv')], /write the gradebook outside the submissions folder/],
      [['grade-class', dir], /required option '--lab <id>' not specified/],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = await runCli(args);
      assert.strictEqual(code, 2, stderr);
      assert.match(stderr, message);
    }
  });
});
