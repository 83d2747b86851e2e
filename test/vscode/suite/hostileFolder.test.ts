// A hostile lab folder (a cloned repo is enough) opened in an untrusted window: a run.json linked to
// /dev/zero, a run nobody sealed, a manifest whose pattern backtracks for ever. Every command that
// reads the folder answers within seconds, and the extension host keeps ticking while it does.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { api, workspaceRoot } from './helpers';

/** Runs a command and measures it, failing if it does not answer in time. */
async function answers(command: string, args: unknown[], withinMs: number): Promise<number> {
  const t0 = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${command} did not answer within ${withinMs} ms`)), withinMs)));
  try {
    await Promise.race([vscode.commands.executeCommand(command, ...args), timeout]);
  } finally {
    clearTimeout(timer);
  }
  return Date.now() - t0;
}

describe('a hostile lab folder in an untrusted window', function () {
  this.timeout(90_000);

  it('never hangs the extension host: linked run files, unsealed runs, catastrophic patterns', async function () {
    if (process.platform === 'win32') this.skip();
    await api();
    const dir = path.join(workspaceRoot(), 'cloned-lab');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'lab.json'),
      JSON.stringify({
        formatVersion: 1,
        id: 'cloned-lab',
        title: 'A cloned lab',
        summary: 'Found in a repository.',
        module: { number: 1, title: 'Anywhere' },
        order: 0,
        files: ['model.ts'],
        harness: 'regression',
        exports: ['features', 'hyperparameters'],
        data: { dataset: 'synthetic-linear', rows: 100, split: { train: 0.6, validation: 0.2, test: 0.2 }, shuffleSeed: 1 },
        checks: [{ id: 'slow', kind: 'code', title: 'Slow', file: 'model.ts', rule: 'require', pattern: '(\\w+\\s?)+$', hint: 'x' }],
        solutions: { reference: 'model.ts' },
      }),
    );
    fs.writeFileSync(path.join(dir, 'model.ts'), `// ${'word '.repeat(40)}!\n`);
    const runs = path.join(dir, '.mllabs', 'runs');
    fs.mkdirSync(path.join(runs, '20200101-000000-0000'), { recursive: true });
    fs.symlinkSync('/dev/zero', path.join(runs, '20200101-000000-0000', 'run.json'));
    // A run that claims a pass, written by hand: never believed.
    fs.mkdirSync(path.join(runs, '20200101-000001-0001'));
    fs.writeFileSync(
      path.join(runs, '20200101-000001-0001', 'run.json'),
      JSON.stringify({
        formatVersion: 1,
        id: '20200101-000001-0001',
        lab: 'cloned-lab',
        status: 'completed',
        createdAt: '2020-01-01T00:00:01.000Z',
        seed: 1,
        backendRequested: 'cpu',
        hyperparameters: {},
        epochs: 1,
        outputs: { test_rmse: 0 },
        hostPid: 1,
      }),
    );
    fs.writeFileSync(path.join(runs, '20200101-000001-0001', 'metrics.jsonl'), '{"epoch":1,"elapsedMs":1,"metrics":{"loss":0}}\n');

    // The extension host's own clock: it must keep ticking while the commands run.
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 50);
    try {
      await answers('mllabs.refreshLabs', [], 10_000);
      const graded = await answers('mllabs.grade', [dir], 10_000);
      await answers('mllabs.openDashboard', [dir], 15_000);
      await answers('mllabs.openInstructions', [dir], 10_000);
      assert.ok(graded < 10_000);
      assert.ok(ticks > 0, 'the extension host kept running');
    } finally {
      clearInterval(ticker);
    }
    assert.ok(!fs.existsSync(path.join(dir, '.mllabs', 'runs', '20200101-000001-0001', 'grade.json')), 'nothing graded an unsealed run');
  });
});
