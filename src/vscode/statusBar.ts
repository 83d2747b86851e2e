// The status bar item: the run's phase and how long it has taken against its time budget (ticking
// once a second, so a run stuck in the learner's code is seen to be stuck), then the verdict; and
// the TensorFlow.js backend in use, with the reason, in the tooltip.
import * as vscode from 'vscode';
import { COMMAND } from './commands';
import { finishedStatusText, runningStatusText, type RunProgressState } from '../core/run/statusText';
import { runVerdict } from '../core/run/verdict';
import type { ActiveRun, LabRunner } from './labRunner';

const TEXT = {
  name: vscode.l10n.t('ML Labs'),
  stop: vscode.l10n.t('Click to stop the run'),
  openDashboard: vscode.l10n.t('Click to open the dashboard'),
  backend: (backend: string, reason: string) => vscode.l10n.t('TensorFlow.js backend: **{0}** — {1}', backend, reason),
};

export function progressState(run: ActiveRun): RunProgressState {
  const state: RunProgressState = { labId: run.lab.manifest.id, startedAt: run.startedAt, timeBudgetMs: run.timeBudgetMs, debugging: run.debugging };
  if (run.backend) state.backend = run.backend.backend;
  if (run.started) state.epochsPlanned = run.started.epochs;
  if (run.lastEpoch) state.lastEpoch = { epoch: run.lastEpoch.epoch, metrics: run.lastEpoch.metrics };
  return state;
}

export class RunStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('mllabs.status', vscode.StatusBarAlignment.Left, 50);
  private readonly disposables: vscode.Disposable[] = [this.item];
  private backendText = '';
  private backendReason = '';
  /** The lab whose run the item follows (the one started last). */
  private following: string | undefined;
  private ticker: NodeJS.Timeout | undefined;

  constructor(private readonly runner: LabRunner) {
    this.item.name = TEXT.name;
    this.disposables.push(
      runner.onDidCreateRun((e) => {
        this.following = e.labDir;
        this.showRunning();
        this.ticker ??= setInterval(() => this.showRunning(), 1000);
      }),
      runner.onDidChooseBackend((e) => {
        this.backendText = e.ready.backend;
        this.backendReason = e.ready.reason;
        if (e.labDir === this.following) this.showRunning();
      }),
      runner.onDidStartTraining((e) => e.labDir === this.following && this.showRunning()),
      runner.onDidFinishEpoch((e) => e.labDir === this.following && this.showRunning()),
      runner.onDidFinishRun((e) => {
        this.stopTicking();
        const { grade, record } = e.result;
        const verdict = runVerdict(record, grade);
        const icon = verdict.kind === 'passed' ? '$(pass-filled)' : verdict.kind === 'cancelled' ? '$(circle-slash)' : '$(error)';
        this.show(
          `${icon} ${finishedStatusText(e.lab.manifest.id, verdict, record.backend)}`,
          COMMAND.openDashboard,
          `${verdict.text}\n\n${TEXT.openDashboard}`,
        );
      }),
      runner.onDidFailToRecord(() => this.stopTicking()),
      { dispose: () => this.stopTicking() },
    );
  }

  private stopTicking(): void {
    if (this.runner.isRunning()) return;
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
  }

  private showRunning(): void {
    const run = this.following ? this.runner.activeRun(this.following) : undefined;
    if (!run) return;
    this.show(`$(sync~spin) ${runningStatusText(progressState(run), Date.now())}`, COMMAND.stop, TEXT.stop);
  }

  private show(text: string, command: string, action: string): void {
    if (this.item.text !== text) this.item.text = text;
    this.item.command = command;
    const backend = this.backendReason ? `${TEXT.backend(this.backendText, this.backendReason)}\n\n` : '';
    this.item.tooltip = new vscode.MarkdownString(`**${TEXT.name}**\n\n${backend}${action}`);
    this.item.show();
  }

  dispose(): void {
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }
}
