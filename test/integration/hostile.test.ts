// Records, manifests and folders that lie or bite, through the command line as users and CI call it:
// each returns within seconds, with a clear message, bounded memory, and nothing believed that
// ML Labs did not write and seal itself.
import * as assert from 'assert';
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parseHousingCsv } from '../../src/child/datasets/housing';
import { splitRows } from '../../src/core/data/split';
import { fixtureLab, REPO_ROOT, tempDir } from '../helpers';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

function cli(args: string[], opts: { cliPath?: string; env?: NodeJS.ProcessEnv } = {}): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [opts.cliPath ?? CLI, ...args],
      { env: { ...process.env, NO_COLOR: '1', ...opts.env }, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr, ms: Date.now() - t0 });
      },
    );
  });
}

/** A copy of the install (dist, lab-templates; node_modules linked) whose course files a test may change. */
function installCopy(): string {
  const root = tempDir('mllabs-install-');
  fs.cpSync(path.join(REPO_ROOT, 'dist'), path.join(root, 'dist'), { recursive: true, filter: (src) => !src.endsWith('.map') });
  fs.cpSync(path.join(REPO_ROOT, 'lab-templates'), path.join(root, 'lab-templates'), { recursive: true });
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(root, 'node_modules'));
  fs.copyFileSync(path.join(REPO_ROOT, 'package.json'), path.join(root, 'package.json'));
  return root;
}

describe('records, manifests and folders that lie', function () {
  this.timeout(120_000);

  it('refuses to re-grade an edited or invented record, and an id that leaves the runs folder', async () => {
    const dir = fixtureLab('good');
    const run = await cli(['run', dir, '--backend', 'cpu', '--json', '-q']);
    assert.strictEqual(run.code, 0, run.stderr);
    const id = (JSON.parse(run.stdout) as { run: { id: string } }).run.id;
    const again = await cli(['grade', dir, '--run', id]);
    assert.strictEqual(again.code, 0, again.stderr);
    assert.match(again.stdout, /graded from the recorded run/);

    const file = path.join(dir, '.mllabs', 'runs', id, 'run.json');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/"test_rmse": [\d.e-]+/, '"test_rmse": 0.0001'));
    const edited = await cli(['grade', dir, '--run', id]);
    assert.strictEqual(edited.code, 2);
    assert.match(edited.stderr, /does not verify: run\.json was changed after the run/);

    const escape = await cli(['grade', dir, '--run', '../..']);
    assert.strictEqual(escape.code, 2);
    assert.match(escape.stderr, /is not a run id/);
  });

  it('refuses a course manifest changed in the install, and says whose bars a renamed lab uses', async () => {
    const root = installCopy();
    const cliPath = path.join(root, 'dist', 'cli.js');
    const labJson = path.join(root, 'lab-templates', 'hand-tuning', 'lab.json');
    fs.writeFileSync(labJson, fs.readFileSync(labJson, 'utf8').replace('"max": 95000', '"max": 950000'));
    const list = await cli(['list'], { cliPath });
    assert.strictEqual(list.code, 2);
    assert.match(list.stderr, /hand-tuning\/lab\.json was modified after this ML Labs was built/);
    const dir = path.join(tempDir(), 'ht');
    const init = await cli(['init', 'hand-tuning', dir], { cliPath });
    assert.strictEqual(init.code, 2);

    // A folder whose lab.json renames a course lab is graded with its own bars, and every output says so.
    const lab = fixtureLab('good');
    const graded = await cli(['grade', lab, '--backend', 'cpu', '--json', '--junit', path.join(lab, 'junit.xml')]);
    const report = JSON.parse(graded.stdout) as { grade: { provenance: { manifest: string } } };
    assert.strictEqual(report.grade.provenance.manifest, 'folder');
    assert.match(fs.readFileSync(path.join(lab, 'junit.xml'), 'utf8'), /name="bars" value="lab in development/);
    const text = await cli(['grade', lab, '--backend', 'cpu']);
    assert.match(text.stderr, /is not a lab of the course: it is graded as a lab in development/);
    assert.match(text.stdout, /bars: this folder's own lab\.json/);
  });

  it('gives the learner’s folder no held-out row of the housing data', async () => {
    const dir = path.join(tempDir(), 'ht');
    assert.strictEqual((await cli(['init', 'hand-tuning', dir])).code, 0);
    const copy = parseHousingCsv(fs.readFileSync(path.join(dir, 'data', 'california_housing.csv'), 'utf8'));
    const all = parseHousingCsv(fs.readFileSync(path.join(REPO_ROOT, 'lab-templates', '_data', 'california-housing', 'california_housing.csv'), 'utf8'));
    const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'lab-templates', 'hand-tuning', 'lab.json'), 'utf8')) as {
      data: { split: { train: number; validation: number; test: number }; shuffleSeed: number };
    };
    const { train, validation, test } = splitRows(all, manifest.data.split, manifest.data.shuffleSeed);
    assert.strictEqual(copy.length, train.length + validation.length);
    const key = (r: object) => JSON.stringify(r);
    const kept = new Set(copy.map(key));
    assert.strictEqual(test.filter((r) => kept.has(key(r))).length, 0, 'no held-out row is in the copy');
  });

  it('returns at once from a run.json linked to /dev/zero, a huge metrics.jsonl and a catastrophic pattern', async function () {
    if (process.platform === 'win32') this.skip();
    const dir = fixtureLab('good');
    const run = await cli(['run', dir, '--backend', 'cpu', '--json', '-q']);
    const id = (JSON.parse(run.stdout) as { run: { id: string } }).run.id;
    const runs = path.join(dir, '.mllabs', 'runs');
    fs.mkdirSync(path.join(runs, '20200101-000000-0000'));
    fs.symlinkSync('/dev/zero', path.join(runs, '20200101-000000-0000', 'run.json'));
    const listed = await cli(['runs', dir]);
    assert.strictEqual(listed.code, 0);
    assert.ok(listed.ms < 10_000, `${listed.ms} ms`);
    assert.match(listed.stderr, /run\.json .* is a symbolic link/);

    const metrics = path.join(runs, id, 'metrics.jsonl');
    fs.truncateSync(metrics, 80 * 1024 * 1024);
    const big = await cli(['grade', dir, '--run', id]);
    assert.strictEqual(big.code, 2);
    assert.ok(big.ms < 10_000, `${big.ms} ms`);
    assert.match(big.stderr, /metrics\.jsonl .*more than the 64 MB ML Labs reads/);

    // A lab in development whose pattern backtracks for ever: grading still answers.
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'lab.json'), 'utf8')) as { checks: { at?: { file: string; pattern: string } }[] };
    manifest.checks[0].at = { file: 'model.ts', pattern: '(\\w+\\s?)+$' };
    fs.writeFileSync(path.join(dir, 'lab.json'), JSON.stringify(manifest));
    fs.appendFileSync(path.join(dir, 'model.ts'), `\n// ${'word '.repeat(40)}!\n`);
    const slowPattern = await cli(['grade', dir, '--backend', 'cpu', '--set', 'epochs=1']);
    assert.ok(slowPattern.ms < 30_000, `${slowPattern.ms} ms`);
    assert.match(slowPattern.stdout, /The line fits/);
  });

  it('refuses a study spec that would never end, at once', async () => {
    const dir = fixtureLab('good');
    fs.writeFileSync(
      path.join(dir, 'hptuning.yaml'),
      'goal: MINIMIZE\nalgorithm: GRID_SEARCH\ngridResolution: 100000000\nmaxTrials: 4\nparams:\n  - parameterName: learningRate\n    type: DOUBLE\n    minValue: 0.01\n    maxValue: 0.1\n',
    );
    const tune = await cli(['tune', dir, '--backend', 'cpu']);
    assert.strictEqual(tune.code, 2);
    assert.ok(tune.ms < 10_000);
    assert.match(tune.stderr, /gridResolution/);
  });
});
