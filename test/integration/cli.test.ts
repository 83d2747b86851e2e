// The command line as users and CI call it: output, files and exit codes.
import * as assert from 'assert';
import { execFile, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { pidAlive } from '../../src/core/process/alive';
import { RunStore } from '../../src/core/run/store';
import { fixtureLab, REPO_ROOT, tempDir } from '../helpers';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

function cli(args: string[], cwd = REPO_ROOT): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

async function waitFor(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('command line', function () {
  this.timeout(60_000);

  it('lists the labs grouped by module', async () => {
    const { code, stdout } = await cli(['list']);
    assert.strictEqual(code, 0);
    assert.match(stdout, /Module 1: The Art of ML/);
    assert.match(stdout, /hand-tuning\s+module 1\s+Hand-tuning a linear model/);
  });

  it('scaffolds a lab, and refuses to overwrite it with exit code 2', async () => {
    const dest = path.join(tempDir(), 'ht');
    const first = await cli(['init', 'hand-tuning', dest]);
    assert.strictEqual(first.code, 0, first.stderr);
    assert.ok(fs.existsSync(path.join(dest, 'model.ts')));
    fs.writeFileSync(path.join(dest, 'model.ts'), '// mine');
    const second = await cli(['init', 'hand-tuning', dest]);
    assert.strictEqual(second.code, 2);
    assert.match(second.stderr, /Nothing was changed/);
    assert.strictEqual(fs.readFileSync(path.join(dest, 'model.ts'), 'utf8'), '// mine');
  });

  it('exits 2 with a clear message for an unknown lab or a folder that is not a lab', async () => {
    const unknown = await cli(['init', 'no-such-lab', tempDir()]);
    assert.strictEqual(unknown.code, 2);
    assert.match(unknown.stderr, /no lab "no-such-lab"/);
    const notLab = await cli(['run', tempDir()]);
    assert.strictEqual(notLab.code, 2);
    assert.match(notLab.stderr, /is not a lab folder: it has no lab\.json/);
    const badFlag = await cli(['run', '--backend', 'gpu']);
    assert.strictEqual(badFlag.code, 2);
  });

  it('grades a passing lab with exit 0 and JSON output', async () => {
    const dir = fixtureLab('good');
    const { code, stdout } = await cli(['grade', dir, '--json', '--backend', 'cpu', '--seed', '1']);
    assert.strictEqual(code, 0);
    const out = JSON.parse(stdout) as { grade: { passed: boolean }; run: { backend: string; seed: number } };
    assert.strictEqual(out.grade.passed, true);
    assert.strictEqual(out.run.backend, 'cpu');
    assert.strictEqual(out.run.seed, 1);
  });

  it('exits 1 when checks fail, and writes JUnit XML naming the failed check', async () => {
    const dir = fixtureLab('todo-left');
    const junit = path.join(tempDir(), 'grade.xml');
    const { code, stdout } = await cli(['run', dir, '--backend', 'cpu', '--junit', junit]);
    assert.strictEqual(code, 1);
    assert.match(stdout, /✘ No TODO — 1 TODO left in model\.ts/);
    assert.match(stdout, /hint: Finish the TODO\./);
    const xml = fs.readFileSync(junit, 'utf8');
    assert.match(xml, /<testsuite name="fixture-linear" tests="4" failures="1" skipped="0"/);
    assert.match(xml, /<testcase classname="mllabs.fixture-linear" name="No TODO" file="model.ts" line="\d+"><failure message="1 TODO left in model.ts"/);
  });

  it('exits 2 when the run produces no result, and re-grades an earlier run', async () => {
    const dir = fixtureLab('syntax');
    const { code, stdout } = await cli(['run', dir, '--backend', 'cpu']);
    assert.strictEqual(code, 2);
    assert.match(stdout, /✘ The run finishes — model\.ts:2:\d+: Expected "\]"/);
    const again = await cli(['grade', dir, '--run', 'latest', '--json']);
    assert.strictEqual(again.code, 2);
    assert.strictEqual((JSON.parse(again.stdout) as { grade: { results: { status: string }[] } }).grade.results[0].status, 'fail');
  });

  it('marks a run as interrupted when its host is killed, and the orphaned child stops', async () => {
    const dir = fixtureLab('slow');
    const host = spawn(process.execPath, [CLI, 'run', dir, '--backend', 'cpu', '-q'], { stdio: 'ignore' });
    const store = new RunStore(dir);
    await waitFor(() => {
      const run = store.latest();
      return !!run && run.childPid !== undefined && (store.read(run.id)?.epochs.length ?? 0) > 0;
    }, 20_000);
    const run = store.latest()!;
    host.kill('SIGKILL');
    await new Promise((r) => host.once('exit', r));
    await waitFor(() => !pidAlive(run.childPid!), 10_000);
    assert.deepStrictEqual(store.recoverInterrupted(), [run.id]);
    assert.strictEqual(store.read(run.id)!.record.status, 'interrupted');
  });
});
