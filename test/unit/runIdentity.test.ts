// Runs that differ only in code must not look alike: each names what changed in its code since
// the run before, carries its seed, and opens its kept code (or the comparison) on request.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { loadDashboard } from '../../src/core/dashboard/data';
import { DashboardController } from '../../src/core/dashboard/controller';
import { compareSources, diffLines, readRunSources } from '../../src/core/run/codeSnapshot';
import { RunStore } from '../../src/core/run/store';
import { markTrialRun } from '../../src/core/run/trialRuns';
import { REPO_ROOT } from '../helpers';
import { FakeEffects, tempLab } from './dashboard/fixtures';

const starter = fs.readFileSync(path.join(REPO_ROOT, 'lab-templates', 'hand-tuning', 'model.ts'), 'utf8');
const scaled = starter.replace('export const labelScale = 1;', 'export const labelScale = 100_000;');
const twoFeatures = scaled.replace('return [row.total_rooms / row.households];', 'return [row.total_rooms / row.households, row.median_income];');

/** A lab folder whose runs kept these versions of model.ts, oldest first. */
function labWithCode(versions: string[]): { dir: string; ids: string[] } {
  const dir = tempLab();
  const store = new RunStore(dir);
  const ids = versions.map((text, i) => {
    const w = store.create({
      lab: 'hand-tuning',
      seed: 100 + i,
      backendRequested: 'auto',
      hostPid: process.pid,
      hyperparameters: { learningRate: 0.01, batchSize: 100, epochs: 25 },
    });
    fs.mkdirSync(path.join(w.dir, 'source'), { recursive: true });
    fs.writeFileSync(path.join(w.dir, 'source', 'model.ts'), text);
    w.update({ status: 'completed', epochs: 1, createdAt: `2026-01-01T10:0${i}:00.000Z` });
    return w.id;
  });
  return { dir, ids };
}

describe('run identity: what changed in the code since the run before', () => {
  it('names a changed value and a changed function the way the learner wrote them', () => {
    assert.deepStrictEqual(compareSources(undefined, { 'model.ts': starter }), { changed: false, summary: 'first run', diff: [] });
    assert.deepStrictEqual(compareSources({ 'model.ts': starter }, { 'model.ts': starter }), { changed: false, summary: 'same code', diff: [] });
    const scale = compareSources({ 'model.ts': starter }, { 'model.ts': scaled });
    assert.strictEqual(scale.summary, 'labelScale 1 → 100_000');
    assert.deepStrictEqual(scale.diff, ['@@ model.ts:14', '- export const labelScale = 1;', '+ export const labelScale = 100_000;']);
    assert.strictEqual(compareSources({ 'model.ts': scaled }, { 'model.ts': twoFeatures }).summary, 'features() changed');
    assert.strictEqual(compareSources({ 'model.ts': starter }, { 'model.ts': twoFeatures }).summary, 'features() changed; labelScale 1 → 100_000');
    const rate = compareSources({ 'model.ts': starter }, { 'model.ts': starter.replace('learningRate: 0.001,', 'learningRate: 0.01,') });
    assert.strictEqual(rate.summary, 'learningRate 0.001 → 0.01');
    const comment = compareSources({ 'model.ts': starter }, { 'model.ts': starter.replace('// Step 1', '// My notes. Step 1') });
    assert.deepStrictEqual([comment.changed, comment.summary], [true, 'comments only']);
    assert.strictEqual(
      compareSources({ 'model.ts': starter }, { 'model.ts': `${starter}\nexport function scaleFeature(x: number): number {\n  return x / 10;\n}\n` }).summary,
      'scaleFeature() added',
    );
    assert.strictEqual(compareSources({ 'model.ts': `${starter}export const extra = 2;\n` }, { 'model.ts': starter }).summary, 'extra removed');
    const files = compareSources({ 'model.ts': starter }, { 'model.ts': starter, 'extra.ts': 'export const x = 1;\n' });
    assert.strictEqual(files.summary, 'extra.ts added');
  });

  it('diffs lines as a longest common subsequence, and clips what it shows', () => {
    const ops = diffLines(['a', 'b', 'c', 'd'], ['a', 'x', 'c', 'd', 'e']);
    assert.deepStrictEqual(
      ops.map((o) => `${o.kind[0]}${o.text}`),
      ['sa', 'db', 'ax', 'sc', 'sd', 'ae'],
    );
    const big = compareSources({ 'model.ts': 'x\n'.repeat(10) }, { 'model.ts': Array.from({ length: 400 }, (_, i) => `const v${i} = ${i};`).join('\n') });
    assert.ok(big.diff.length <= 121 && /more lines$/.test(big.diff.at(-1)!), 'the diff shown is bounded');
  });

  it('gives every run of a lab its number, seed and code change in the dashboard', () => {
    const { dir, ids } = labWithCode([starter, scaled, scaled, twoFeatures]);
    markTrialRun(new RunStore(dir).runDir(ids[2]!), { trial: 4 });
    const runs = loadDashboard(dir).snapshot.runs;
    assert.deepStrictEqual(
      runs.map((r) => [r.label, r.seed, r.code?.summary, r.code?.changed, r.trial]),
      [
        ['#1 lr 0.01 · batch 100 · epochs 25', 100, 'first run', false, undefined],
        ['#2 lr 0.01 · batch 100 · epochs 25', 101, 'labelScale 1 → 100_000', true, undefined],
        ['#3 lr 0.01 · batch 100 · epochs 25', 102, 'same code', false, 4],
        ['#4 lr 0.01 · batch 100 · epochs 25', 103, 'features() changed', true, undefined],
      ],
    );
    assert.strictEqual(runs[1]!.code?.previous, ids[0]);
    assert.deepStrictEqual(runs[1]!.code?.files, ['model.ts']);
    assert.deepStrictEqual(readRunSources(new RunStore(dir).runDir(ids[3]!)), { 'model.ts': twoFeatures });
  });

  it('opens a run’s kept code, or its comparison with the run before, and nothing outside the lab’s runs', async () => {
    const { dir, ids } = labWithCode([starter, scaled]);
    const fx = new FakeEffects();
    const c = new DashboardController(dir, fx);
    await c.receive({ type: 'ready' });
    const live = fx.of('snapshot')[0]!.runs[1]!;
    assert.strictEqual(live.code?.summary, 'labelScale 1 → 100_000');
    await c.receive({ type: 'openRunCode', runId: ids[1], compare: true });
    await c.receive({ type: 'openRunCode', runId: ids[0], compare: false });
    await c.receive({ type: 'openRunCode', runId: '../../etc', compare: false });
    await c.receive({ type: 'openRunCode', runId: 'not-a-run', compare: true });
    const store = new RunStore(dir);
    assert.deepStrictEqual(fx.codeOpened, [
      {
        file: path.join(store.runDir(ids[1]!), 'source', 'model.ts'),
        previous: path.join(store.runDir(ids[0]!), 'source', 'model.ts'),
        title: 'model.ts: run #1 ↔ run #2',
      },
      { file: path.join(store.runDir(ids[0]!), 'source', 'model.ts'), previous: undefined, title: 'model.ts (run #1)' },
    ]);
    assert.strictEqual(fx.logs.filter((l) => /refused to open the code/.test(l)).length, 2);
  });

  it('labels a run that starts while the dashboard is open like the snapshot would', async () => {
    const { dir } = labWithCode([starter]);
    const fx = new FakeEffects();
    const c = new DashboardController(dir, fx);
    await c.receive({ type: 'ready' });
    const store = new RunStore(dir);
    const w = store.create({ lab: 'hand-tuning', seed: 7, backendRequested: 'auto', hostPid: process.pid, hyperparameters: {} });
    fs.mkdirSync(path.join(w.dir, 'source'));
    fs.writeFileSync(path.join(w.dir, 'source', 'model.ts'), scaled);
    c.runStarted(w.current);
    const run = fx.of('run').at(-1)!.run;
    assert.deepStrictEqual([run.number, run.seed, run.code?.summary], [2, 7, 'labelScale 1 → 100_000']);
    assert.match(run.label, /^#2 /);
  });
});
