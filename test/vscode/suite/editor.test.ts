// The editor around a lab, in a real VS Code: the focus after Start Lab, ▶ Run back after every run,
// the dashboard brought forward by every run, runs that never trained announced as such, Testing
// view items on their lines and in the lab's order, re-grading on save, debugging the learner's
// code, the Run Lab keybinding, and the knowledge check's scenario in view while choosing.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ReportedResults } from '../../../src/vscode/labTests';
import { api, EXTENSION_ID, nextEvent, workspaceRoot } from './helpers';

const REPO = path.resolve(__dirname, '..', '..', '..', '..');
const STARTER = fs.readFileSync(path.join(REPO, 'lab-templates', 'hand-tuning', 'model.ts'), 'utf8');

function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`"${needle}" not found`);
  return i;
}

async function setText(file: string, text: string): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), text);
  assert.ok(await vscode.workspace.applyEdit(edit));
  await doc.save();
}

function tabsWhere(accept: (tab: vscode.Tab) => boolean): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter(accept);
}

const isDashboard = (t: vscode.Tab) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('mllabs.dashboard');

/** Resolves once `check` holds, re-checking whenever the tabs change. */
function whenTabs(check: () => boolean, timeoutMs = 30_000): Promise<void> {
  if (check()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error('timed out waiting for the tabs'));
    }, timeoutMs);
    const sub = vscode.window.tabGroups.onDidChangeTabs(() => {
      if (!check()) return;
      clearTimeout(timer);
      sub.dispose();
      resolve();
    });
  });
}

function children(item: vscode.TestItem): vscode.TestItem[] {
  const out: vscode.TestItem[] = [];
  item.children.forEach((c) => out.push(c));
  return out;
}

describe('ML Labs: the editor around a lab', function () {
  this.timeout(120_000);
  let dir: string;
  let model: string;

  before(async () => {
    await api();
    dir = path.join(workspaceRoot(), 'editor-lab');
    model = path.join(dir, 'model.ts');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Start Lab leaves the focus in the starter code, with the instructions as a preview beside it', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    assert.strictEqual(await vscode.commands.executeCommand<string>('mllabs.startLab', 'hand-tuning', dir), dir);
    assert.strictEqual(vscode.window.activeTextEditor?.document.uri.fsPath, model, 'the code has the focus');
    const active = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(active?.input instanceof vscode.TabInputText && active.input.uri.fsPath === model, 'the active tab is the code');
    const preview = tabsWhere((t) => t.input instanceof vscode.TabInputCustom && t.input.viewType === 'vscode.markdown.preview.editor');
    assert.strictEqual(preview.length, 1, 'the instructions open as a markdown preview');
    assert.strictEqual((preview[0]!.input as vscode.TabInputCustom).uri.fsPath, path.join(dir, 'README.md'));
    assert.notStrictEqual(preview[0]!.group.viewColumn, active!.group.viewColumn, 'beside the code, not over it');
  });

  it('lists the checks in the Testing view in the lab’s order, each on the line it concerns, following edits', async () => {
    const labs = await api();
    await labs.tests.refresh();
    const root = labs.tests.controller.items.get(dir);
    assert.ok(root, 'the lab is in the Testing view');
    const items = children(root!).sort((a, b) => a.sortText!.localeCompare(b.sortText!));
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'lab.json'), 'utf8')) as { checks: { id: string }[] };
    assert.deepStrictEqual(
      items.map((i) => i.id.slice(dir.length + 1)),
      ['run', ...manifest.checks.map((c) => c.id)],
    );
    const labelScaled = root!.children.get(`${dir}#label-scaled`)!;
    assert.strictEqual(labelScaled.uri?.fsPath, model);
    assert.strictEqual(labelScaled.range?.start.line, lineOf(STARTER, 'export const labelScale'));
    assert.strictEqual(root!.children.get(`${dir}#no-todo`)!.range?.start.line, lineOf(STARTER, 'TODO'));
    // Two lines typed above: the items move with the code, before any save.
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(model));
    const moved = nextEvent(labs.tests.onDidUpdateRanges, (d) => d === dir, 10_000);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, new vscode.Position(0, 0), '// my notes\n// more notes\n');
    await vscode.workspace.applyEdit(edit);
    await moved;
    // (Read again: a refresh, e.g. the one Start Lab sets off, replaces the items by new ones.)
    const now = labs.tests.controller.items.get(dir)!.children.get(`${dir}#label-scaled`)!;
    assert.strictEqual(now.range?.start.line, lineOf(STARTER, 'export const labelScale') + 2);
    await setText(model, STARTER);
  });

  it('shows ▶ Run again after every run: the lab leaves the running set before the run is announced', async () => {
    const labs = await api();
    await vscode.window.showTextDocument(vscode.Uri.file(model), { preview: false });
    for (let run = 1; run <= 2; run++) {
      const whileRunning = nextEvent(labs.runner.onDidChooseBackend, (e) => e.labDir === dir, 60_000).then(() => ({ ...labs.runContext.current }));
      const seenAtAnnounce = nextEvent(labs.runner.onDidFinishRun, (e) => e.labDir === dir, 90_000).then(() => labs.runner.isRunning(dir));
      const result = await vscode.commands.executeCommand<{ record: { status: string } } | undefined>('mllabs.run', dir);
      assert.ok(result, `run ${run} ran`);
      assert.deepStrictEqual(await whileRunning, { any: true, lab: true }, `run ${run}: ■ Stop while it runs`);
      assert.strictEqual(await seenAtAnnounce, false, `run ${run}: no longer running when announced`);
      assert.deepStrictEqual(labs.runContext.current, { any: false, lab: false }, `run ${run}: ▶ Run is back`);
    }
  });

  it('brings the dashboard forward on every run, beside the code, keeping the focus in the code', async () => {
    const labs = await api();
    const dashboards = tabsWhere(isDashboard);
    assert.strictEqual(dashboards.length, 1, 'the first run opened the dashboard');
    const column = dashboards[0]!.group.viewColumn;
    // The learner looks at something else in the dashboard's group: the dashboard is behind it.
    await vscode.window.showTextDocument(vscode.Uri.file(path.join(dir, 'lab.json')), { viewColumn: column, preserveFocus: false, preview: false });
    await vscode.window.showTextDocument(vscode.Uri.file(model), { viewColumn: vscode.ViewColumn.One, preview: false });
    assert.notStrictEqual(vscode.window.activeTextEditor?.viewColumn, column);
    assert.strictEqual(tabsWhere(isDashboard)[0]!.isActive, false);
    const forward = whenTabs(() => tabsWhere(isDashboard)[0]?.isActive === true);
    const finished = nextEvent(labs.runner.onDidFinishRun, (e) => e.labDir === dir, 90_000);
    await vscode.commands.executeCommand('mllabs.run', dir);
    await finished;
    await forward;
    assert.strictEqual(vscode.window.activeTextEditor?.document.uri.fsPath, model, 'the focus stayed in the code');
  });

  it('announces a run that never trained as such, with the file and line, not as failed checks', async () => {
    const labs = await api();
    await setText(model, STARTER.replace('return [row.total_rooms / row.households];', 'return [row.total_rooms / row.households;'));
    const announced = nextEvent(labs.onDidAnnounce, (a) => a.labDir === dir, 90_000);
    await vscode.commands.executeCommand('mllabs.run', dir);
    const a = await announced;
    assert.strictEqual(a.severity, 'error');
    assert.match(
      a.message,
      new RegExp(`^Hand-tuning a linear model did not train: syntax error at model\\.ts:${lineOf(STARTER, 'return [row.total_rooms') + 1} — `),
    );
    assert.doesNotMatch(a.message, /checks? passed|marked in your code/);
    assert.deepStrictEqual(a.actions, [`Go to model.ts:${lineOf(STARTER, 'return [row.total_rooms') + 1}`, 'Show Output']);
    await setText(model, STARTER);
  });

  it('announces a cancelled run as cancelled, not as failed', async () => {
    const labs = await api();
    const announced = nextEvent(labs.onDidAnnounce, (a) => a.labDir === dir, 90_000);
    // Cancelled as the learner does it, with Stop Run, once the run is under way.
    const started = nextEvent(labs.runner.onDidChooseBackend, (e) => e.labDir === dir, 60_000).then(() => vscode.commands.executeCommand('mllabs.stop', dir));
    await vscode.commands.executeCommand('mllabs.run', dir);
    await started;
    const a = await announced;
    assert.strictEqual(a.severity, 'info');
    assert.match(a.message, /^Hand-tuning a linear model: run cancelled (before training started|after \d+ of \d+ epochs); nothing was graded\.$/);
    assert.doesNotMatch(a.message, /fail/);
  });

  it('re-grades on every save while a continuous run is on, and stops when it is turned off', async () => {
    const labs = await api();
    await labs.tests.refresh();
    const root = labs.tests.controller.items.get(dir)!;
    const cts = new vscode.CancellationTokenSource();
    const first = nextEvent(labs.tests.onDidReport, (r) => r.labDir === dir, 90_000);
    const watching = labs.tests.runTests(new vscode.TestRunRequest([root], undefined, undefined, true), cts.token, 'run');
    await first;
    const afterSave = nextEvent<ReportedResults>(labs.tests.onDidReport, (r) => r.labDir === dir, 90_000);
    await setText(model, STARTER.replace('export const labelScale = 1;', 'export const labelScale = 100_000;'));
    const { results } = await afterSave;
    assert.strictEqual(results.find((r) => r.id === 'label-scaled')?.status, 'passed', 'the saved code was graded');
    cts.cancel();
    await watching;
    // Turned off: a save runs nothing.
    let reported = false;
    const sub = labs.tests.onDidReport(() => (reported = true));
    await setText(model, STARTER);
    // Nothing to wait for when nothing should happen: a save's re-run would start well within 1.5 s.
    const ran = await nextEvent(labs.runner.onDidCreateRun, (e) => e.labDir === dir, 1500).then(
      () => true,
      () => false,
    );
    sub.dispose();
    assert.strictEqual(ran || reported, false, 'no run after the continuous run stopped');
    cts.dispose();
  });

  it('debugs the learner’s code: a breakpoint in model.ts stops the run there, then it is graded', async function () {
    // Known race, not yet understood: in some fresh code-server runs the remote debugger loads the
    // learner's sources (model.ts among them) but never stops at the breakpoint, while the same test
    // passes on the next try. A second try tells that race from a debugger that never stops.
    this.retries(1);
    const labs = await api();
    // A try that failed cancelled its run: wait until it has ended, or this one would not be debugged.
    for (let i = 0; i < 100 && labs.runner.isRunning(dir); i++) await new Promise((r) => setTimeout(r, 100));
    await labs.tests.refresh();
    const root = labs.tests.controller.items.get(dir)!;
    const line = lineOf(STARTER, 'return [row.total_rooms');
    const bp = new vscode.SourceBreakpoint(new vscode.Location(vscode.Uri.file(model), new vscode.Position(line, 4)));
    // What the debug adapters say, read as it is said: the stop, whichever session it is in, and
    // (for the message of a failure) what they loaded and bound.
    const seen: string[] = [];
    let onStop: (s: { session: vscode.DebugSession; threadId: number }) => void = () => undefined;
    const stopped = new Promise<{ session: vscode.DebugSession; threadId: number }>((resolve) => (onStop = resolve));
    const tracker = vscode.debug.registerDebugAdapterTrackerFactory('pwa-node', {
      createDebugAdapterTracker: (session) => ({
        onDidSendMessage: (m: { type?: string; event?: string; body?: { threadId?: number; reason?: string; source?: { path?: string } } }) => {
          if (m.type !== 'event') return;
          if (m.event === 'stopped' && m.body?.reason === 'breakpoint') onStop({ session, threadId: m.body.threadId ?? 0 });
          if (m.event === 'breakpoint' || m.event === 'stopped' || (m.event === 'loadedSource' && /learner|model\.ts/.test(m.body?.source?.path ?? '')))
            seen.push(`${session.name}: ${m.event}`);
        },
      }),
    });
    vscode.debug.addBreakpoints([bp]);
    const cts = new vscode.CancellationTokenSource();
    try {
      const reported = nextEvent(labs.tests.onDidReport, (r) => r.labDir === dir, 150_000);
      const running = labs.tests.runTests(new vscode.TestRunRequest([root]), cts.token, 'debug');
      const timeout = new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`no stop at the breakpoint within 90 s; the adapters said: ${seen.join('; ') || 'nothing'}`)), 90_000),
      );
      const { session, threadId } = await Promise.race([stopped, timeout]);
      const trace = (await session.customRequest('stackTrace', { threadId, startFrame: 0, levels: 1 })) as {
        stackFrames: { line: number; source?: { path?: string } }[];
      };
      const top = trace.stackFrames[0]!;
      // (A remote window names it as a vscode-remote URI.)
      assert.ok(
        top.source?.path === model || top.source?.path?.endsWith(model),
        `paused in the learner’s TypeScript, through the source map: ${top.source?.path}`,
      );
      assert.strictEqual(top.line, line + 1);
      // features() runs once per row: clear the breakpoint in the paused session itself (removing
      // it from the editor reaches the session only later) so that it runs to the end.
      vscode.debug.removeBreakpoints([bp]);
      await session.customRequest('setBreakpoints', { source: { path: model }, breakpoints: [] });
      await session.customRequest('continue', { threadId });
      const { results } = await reported;
      await running;
      assert.strictEqual(results.find((r) => r.id === 'run')?.status, 'passed', 'the debugged run finished and was graded');
    } finally {
      vscode.debug.removeBreakpoints([bp]);
      tracker.dispose();
      // A failed test must not leave a paused process behind for the next one.
      cts.cancel();
      cts.dispose();
    }
  });

  it('binds Run Lab to a key no default VS Code binding uses', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const bindings = (ext.packageJSON as { contributes: { keybindings: unknown } }).contributes.keybindings as {
      command: string;
      key: string;
      mac?: string;
      when: string;
    }[];
    const run = bindings.find((b) => b.command === 'mllabs.run');
    assert.ok(run, 'Run Lab has a keybinding');
    assert.match(run!.when, /mllabs\.isLabFile/, 'only in a lab file');
    const key = process.platform === 'darwin' ? (run!.mac ?? run!.key) : run!.key;
    const defaults = (await vscode.workspace.openTextDocument(vscode.Uri.parse('vscode://defaultsettings/keybindings.json'))).getText();
    const entries = [...defaults.matchAll(/"key":\s*"([^"]+)",\s*"command":\s*"([^"]+)"/g)].map((m) => ({ key: m[1]!, command: m[2]! }));
    assert.ok(entries.length > 500, `read the default keybindings (${entries.length})`);
    assert.deepStrictEqual(
      entries.filter((e) => e.key === key && e.command !== 'mllabs.run'),
      [],
      `${key} is free`,
    );
  });

  it('keeps a knowledge check’s scenario in view beside the quick pick while the learner chooses', async () => {
    const quiz = JSON.parse(fs.readFileSync(path.join(REPO, 'lab-templates', '_quizzes', 'art-of-ml.json'), 'utf8')) as { questions: { context?: string }[] };
    const context = quiz.questions[0]!.context!;
    const isSheet = (e: vscode.TextEditor) => e.document.uri.scheme === 'mllabs-quiz';
    const shown = new Promise<vscode.TextEditor>((resolve) => {
      const sub = vscode.window.onDidChangeVisibleTextEditors((editors) => {
        const sheet = editors.find(isSheet);
        if (sheet) {
          sub.dispose();
          resolve(sheet);
        }
      });
    });
    const done = vscode.commands.executeCommand('mllabs.takeQuiz', 'art-of-ml');
    const sheet = await Promise.race([shown, done.then(() => Promise.reject(new Error('the knowledge check ended before its sheet showed')))]);
    assert.ok(sheet.document.getText().includes(context.slice(0, 80)), 'the scenario is on the sheet');
    assert.notStrictEqual(vscode.window.activeTextEditor && isSheet(vscode.window.activeTextEditor), true, 'the sheet does not take the focus');
    // Closing the quick pick (asked for before the sheet, so it is open now) stops the check; the sheet goes with it.
    const closed = new Promise<void>((resolve) => {
      const sub = vscode.window.onDidChangeVisibleTextEditors((editors) => {
        if (!editors.some(isSheet)) {
          sub.dispose();
          resolve();
        }
      });
    });
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.strictEqual(await done, undefined);
    await closed;
  });
});
