// The status bar item: the run state and the TensorFlow.js backend in use, with the reason.
import * as vscode from 'vscode';
import { formatValue } from '../core/grade/format';
import type { LabRunner } from './labRunner';

export class RunStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('mllabs.status', vscode.StatusBarAlignment.Left, 50);
  private readonly disposables: vscode.Disposable[] = [this.item];
  private backendText = '';
  private backendReason = '';

  constructor(runner: LabRunner) {
    this.item.name = 'ML Labs';
    this.disposables.push(
      runner.onDidCreateRun((e) => this.show(`$(sync~spin) ${e.lab.manifest.id}: starting…`, 'mllabs.stop', 'Click to stop the run')),
      runner.onDidChooseBackend((e) => {
        this.backendText = e.ready.backend;
        this.backendReason = e.ready.reason;
        this.show(`$(sync~spin) ${e.lab.manifest.id}: loading · ${this.backendText}`, 'mllabs.stop', 'Click to stop the run');
      }),
      runner.onDidFinishEpoch((e) => {
        const total = runner.activeRun(e.labDir)?.started?.epochs ?? 0;
        const loss = e.epoch.metrics.val_loss ?? e.epoch.metrics.loss;
        this.show(`$(sync~spin) ${e.lab.manifest.id}: epoch ${e.epoch.epoch}/${total} · loss ${formatValue(loss)} · ${this.backendText}`, 'mllabs.stop', 'Click to stop the run');
      }),
      runner.onDidFinishRun((e) => {
        const { grade, record } = e.result;
        const icon = grade.passed ? '$(pass-filled)' : '$(error)';
        this.show(`${icon} ${e.lab.manifest.id}: ${grade.passed ? 'passed' : grade.summary}${record.backend ? ` · ${record.backend}` : ''}`, 'mllabs.openDashboard', 'Click to open the dashboard');
      }),
    );
  }

  private show(text: string, command: string, action: string): void {
    this.item.text = text;
    this.item.command = command;
    const tip = new vscode.MarkdownString(`**ML Labs**\n\n${this.backendReason ? `TensorFlow.js backend: **${this.backendText}** — ${this.backendReason}\n\n` : ''}${action}`);
    this.item.tooltip = tip;
    this.item.show();
  }

  dispose(): void {
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }
}
