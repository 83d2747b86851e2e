// The `when` contexts that follow runs: `mllabs.running` (some lab runs: Stop is in the palette) and
// `mllabs.labRunning` (the lab of the active editor runs: its title shows ■ Stop instead of ▶ Run).
// Both are recomputed from the runner's active set on every change, never kept as a flag that an
// event order could leave stale.
import * as vscode from 'vscode';
import { labFolderOf } from './labFolders';
import type { LabRunner } from './labRunner';

export class RunContext implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private last: { any: boolean; lab: boolean } | undefined;

  constructor(private readonly runner: LabRunner) {
    const update = () => this.update();
    this.disposables.push(
      runner.onDidCreateRun(update),
      runner.onDidFinishRun(update),
      runner.onDidFailToRecord(update),
      vscode.window.onDidChangeActiveTextEditor(update),
    );
    this.update();
  }

  /** The values last set, for tests. */
  get current(): { any: boolean; lab: boolean } {
    return this.last ?? { any: false, lab: false };
  }

  update(): void {
    const labDir = labFolderOf(vscode.window.activeTextEditor?.document.uri);
    const next = { any: this.runner.isRunning(), lab: !!labDir && this.runner.isRunning(labDir) };
    if (this.last && this.last.any === next.any && this.last.lab === next.lab) return;
    this.last = next;
    void vscode.commands.executeCommand('setContext', 'mllabs.running', next.any);
    void vscode.commands.executeCommand('setContext', 'mllabs.labRunning', next.lab);
  }

  dispose(): void {
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }
}
