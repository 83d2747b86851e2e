// Integration tests in a real VS Code: commands, diagnostics on the right lines, code actions,
// the Testing view — through the public `vscode` API, waiting for events rather than sleeping.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { api, diagnosticsOf, EXTENSION_ID, nextEvent, workspaceRoot } from './helpers';

const REPO = path.resolve(__dirname, '..', '..', '..', '..');
const REFERENCE = path.join(REPO, 'lab-templates', 'hand-tuning', 'solutions', 'reference.ts');

function lineOf(file: string, text: string): number {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(text));
}

async function setText(file: string, text: string): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), text);
  await vscode.workspace.applyEdit(edit);
  await doc.save();
}

describe('ML Labs in VS Code', function () {
  this.timeout(120_000);
  let dir: string;
  let model: string;

  before(async () => {
    await api();
    dir = path.join(workspaceRoot(), 'hand-tuning');
    model = path.join(dir, 'model.ts');
  });

  it('contributes every command in the "ML Labs" category', async () => {
    const registered = await vscode.commands.getCommands(true);
    const contributed = (vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: { commands: unknown } }).contributes.commands as {
      command: string;
      category: string;
    }[];
    for (const id of ['mllabs.startLab', 'mllabs.run', 'mllabs.stop', 'mllabs.grade', 'mllabs.openDashboard', 'mllabs.showHint', 'mllabs.resetFile']) {
      assert.ok(registered.includes(id), `${id} is not registered`);
      assert.strictEqual(contributed.find((c) => c.command === id)?.category, 'ML Labs');
    }
  });

  it('starts a lab: scaffolds it and opens the starter code beside the instructions', async () => {
    const result = await vscode.commands.executeCommand<string>('mllabs.startLab', 'hand-tuning', dir);
    assert.strictEqual(result, dir);
    for (const f of ['model.ts', 'README.md', 'lab.json', 'data/california_housing.csv']) assert.ok(fs.existsSync(path.join(dir, f)), f);
    assert.ok(!fs.existsSync(path.join(dir, 'solutions')), 'solutions stay with the course');
    assert.ok(
      vscode.window.visibleTextEditors.some((e) => e.document.uri.fsPath === model),
      'model.ts is open',
    );
  });

  it('runs the starter and marks each failed check on the line it concerns', async () => {
    const labs = await api();
    const finished = nextEvent(labs.runner.onDidFinishRun, (e) => e.labDir === dir, 90_000);
    await vscode.commands.executeCommand('mllabs.run', dir);
    const { result } = await finished;
    assert.strictEqual(result.grade.passed, false);
    const diags = diagnosticsOf(model);
    const byCode = (code: string) => diags.find((d) => d.code === code);
    assert.strictEqual(byCode('label-scaled')?.range.start.line, lineOf(model, 'export const labelScale'));
    assert.strictEqual(byCode('no-todo')?.range.start.line, lineOf(model, 'TODO'));
    assert.match(
      byCode('label-scaled')!.message,
      /^The label is scaled: The label as the model learns it \(on average\) is 209,068; .*\nHint: .*Set labelScale = 100000/s,
    );
    assert.strictEqual(byCode('label-scaled')!.severity, vscode.DiagnosticSeverity.Error);
  });

  it('offers the lab’s quick fix and "Show hint" on a failed check', async () => {
    const d = diagnosticsOf(model).find((x) => x.code === 'label-scaled')!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', vscode.Uri.file(model), d.range);
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes('Set labelScale to 100_000'), titles.join(', '));
    assert.ok(titles.includes('Show hint: The label is scaled'), titles.join(', '));
    const fix = actions.find((a) => a.title === 'Set labelScale to 100_000')!;
    assert.ok(await vscode.workspace.applyEdit(fix.edit!));
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(model));
    assert.match(doc.getText(), /export const labelScale = 100_000;/);
    await doc.save();
  });

  it('reports every check in the Testing view when run from there', async () => {
    const labs = await api();
    await labs.tests.refresh();
    const reported = nextEvent(labs.tests.onDidReport, (e) => e.labDir === dir, 90_000);
    await vscode.commands.executeCommand('testing.runAll');
    const { results } = await reported;
    const status = Object.fromEntries(results.map((r) => [r.id, r.status]));
    assert.strictEqual(status['run'], 'passed');
    assert.strictEqual(status['label-scaled'], 'passed', 'the quick fix made the label check pass');
    assert.strictEqual(status['no-todo'], 'failed');
    assert.ok(['run', 'label-scaled', 'stable', 'converged', 'near-optimum', 'add-feature', 'no-todo'].every((id) => id in status));
  });

  it('clears the diagnostics of checks that pass', async () => {
    const labs = await api();
    await setText(model, fs.readFileSync(REFERENCE, 'utf8'));
    const finished = nextEvent(labs.runner.onDidFinishRun, (e) => e.labDir === dir, 90_000);
    await vscode.commands.executeCommand('mllabs.run', dir);
    const { result } = await finished;
    assert.strictEqual(result.grade.passed, true, result.grade.summary);
    assert.deepStrictEqual(diagnosticsOf(model), []);
  });

  it('puts a runner error on the learner’s line', async () => {
    const labs = await api();
    const broken = fs.readFileSync(REFERENCE, 'utf8').replace('learningRate: 0.01,', 'learningRate: 0.01,,');
    await setText(model, broken);
    const finished = nextEvent(labs.runner.onDidFinishRun, (e) => e.labDir === dir, 90_000);
    await vscode.commands.executeCommand('mllabs.run', dir);
    const { result } = await finished;
    assert.strictEqual(result.record.failure?.kind, 'compile');
    const run = diagnosticsOf(model).find((d) => d.code === 'run');
    assert.ok(run, 'the run failure is a diagnostic');
    assert.strictEqual(run!.range.start.line, lineOf(model, 'learningRate: 0.01,,'));
  });

  it('resets a file to the starter code and keeps a backup of the learner’s version', async () => {
    const before = fs.readFileSync(model, 'utf8');
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(model));
    // The command asks in a modal dialog; the function behind it takes the answer directly.
    const { resetFile } = await import('../../../src/vscode/resetFile');
    assert.strictEqual(await resetFile(REPO, dir, model, async () => true), true);
    assert.match(editor.document.getText(), /TODO: scale the label/);
    const backups = fs.readdirSync(path.join(dir, '.mllabs', 'backups'));
    assert.strictEqual(backups.length, 1);
    assert.strictEqual(fs.readFileSync(path.join(dir, '.mllabs', 'backups', backups[0]), 'utf8'), before);
  });
});

describe('ML Labs: tuning in VS Code', function () {
  this.timeout(240_000);

  it('runs a study from a spec and writes the best values into the learner’s code', async () => {
    const dir = path.join(workspaceRoot(), 'tuning');
    await vscode.commands.executeCommand('mllabs.startLab', 'hand-tuning', dir);
    const model = path.join(dir, 'model.ts');
    await setText(model, fs.readFileSync(REFERENCE, 'utf8').replace('epochs: 25', 'epochs: 8'));
    fs.writeFileSync(
      path.join(dir, 'study.yaml'),
      [
        'goal: MINIMIZE',
        'hyperparameterMetricTag: rmse',
        'maxTrials: 2',
        'maxParallelTrials: 2',
        'algorithm: GRID_SEARCH',
        'params:',
        '  - parameterName: learning_rate',
        '    type: DISCRETE',
        '    discreteValues: [0.003, 0.03]',
        '',
      ].join('\n'),
    );
    const best = await vscode.commands.executeCommand<{ number: number; params: Record<string, number> }>('mllabs.tune', dir, { specFile: 'study.yaml' });
    assert.ok(best, 'the study found a best trial');
    assert.ok([0.003, 0.03].includes(best!.params.learning_rate));
    assert.strictEqual(fs.readdirSync(path.join(dir, '.mllabs', 'studies')).length, 1);

    const { applyBest } = await import('../../../src/vscode/applyBest');
    const { openLab } = await import('../../../src/core/run/labRun');
    assert.ok(await applyBest(openLab(dir, REPO), { ...best!, objective: 0 }));
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(model));
    assert.match(doc.getText(), new RegExp(`learningRate: ${best!.params.learning_rate},`));
  });
});
