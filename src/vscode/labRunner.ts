// Runs labs from VS Code: the trust gate, settings, a progress notification with Cancel, the output
// channel, and events the other views listen to. All training happens in the runner child process;
// the extension host only relays messages.
import * as path from 'path';
import * as vscode from 'vscode';
import { formatMetric, formatValue } from '../core/format';
import { describeProvenance } from '../core/grade/report';
import type { BackendChoice } from '../core/lab/manifest';
import { LabFolderError, openLab, runLab, type LabRunHandle, type LabRunResult, type OpenedLab } from '../core/run/labRun';
import { runVerdict } from '../core/run/verdict';
import type { EpochMessage, ReadyMessage, StartedMessage } from '../core/run/protocol';
import type { RunRecord } from '../core/run/store';

export const TEXT = {
  untrusted: vscode.l10n.t(
    'ML Labs runs lab code only in a trusted workspace: lab code is a program, and VS Code asks you to trust a folder before anything in it runs. The instructions and the grades stay readable.',
  ),
  manageTrust: vscode.l10n.t('Manage Workspace Trust'),
  alreadyRunning: (lab: string) => vscode.l10n.t('{0} is already running.', lab),
  notALab: vscode.l10n.t('Open a lab file first, or start a lab with "ML Labs: Start Lab…".'),
  running: (lab: string) => vscode.l10n.t('ML Labs: running {0}', lab),
  progress: (epoch: number, total: number, loss: string, backend: string) => vscode.l10n.t('epoch {0}/{1} · loss {2} · {3}', epoch, total, loss, backend),
  error: (message: string) => vscode.l10n.t('ML Labs: {0}', message),
};

/** How long a debug run may take: the learner may sit at a breakpoint. */
export const DEBUG_TIME_BUDGET_MS = 60 * 60 * 1000;

export interface LabRunnerOptions {
  /** Cancels the run (e.g. from the Testing view). */
  token?: vscode.CancellationToken;
  /** A progress notification with Cancel (default true). */
  showProgress?: boolean;
  /** Start the learner's process under the inspector, paused, for a debugger to attach on this port. */
  debug?: { port: number };
}

export interface RunEvent {
  labDir: string;
  lab: OpenedLab;
}

export interface ActiveRun {
  lab: OpenedLab;
  runId: string;
  handle: LabRunHandle;
  /** When the run started (Date.now()), and the time budget it runs under (ms). */
  startedAt: number;
  timeBudgetMs: number;
  debugging: boolean;
  backend?: ReadyMessage;
  started?: StartedMessage;
  lastEpoch?: EpochMessage;
}

export class LabRunner implements vscode.Disposable {
  private readonly active = new Map<string, ActiveRun>();
  private readonly emitters = {
    created: new vscode.EventEmitter<RunEvent & { record: RunRecord }>(),
    ready: new vscode.EventEmitter<RunEvent & { runId: string; ready: ReadyMessage }>(),
    started: new vscode.EventEmitter<RunEvent & { runId: string; started: StartedMessage }>(),
    epoch: new vscode.EventEmitter<RunEvent & { runId: string; epoch: EpochMessage }>(),
    finished: new vscode.EventEmitter<RunEvent & { result: LabRunResult }>(),
    failed: new vscode.EventEmitter<RunEvent & { error: Error }>(),
  };
  readonly onDidCreateRun = this.emitters.created.event;
  readonly onDidChooseBackend = this.emitters.ready.event;
  readonly onDidStartTraining = this.emitters.started.event;
  readonly onDidFinishEpoch = this.emitters.epoch.event;
  readonly onDidFinishRun = this.emitters.finished.event;
  /** The run could not be recorded (e.g. the lab folder is read-only); it is no longer running. */
  readonly onDidFailToRecord = this.emitters.failed.event;

  constructor(
    readonly installRoot: string,
    private readonly output: vscode.OutputChannel,
    /** Where native TensorFlow is installed on demand (the extension's global storage). */
    private readonly nativeDir?: string,
  ) {}

  isRunning(labDir?: string): boolean {
    return labDir ? this.active.has(labDir) : this.active.size > 0;
  }

  activeRun(labDir: string): ActiveRun | undefined {
    return this.active.get(labDir);
  }

  /** Lab code runs only in a trusted workspace; otherwise says why and returns false. */
  ensureTrusted(): boolean {
    if (vscode.workspace.isTrusted) return true;
    // Not awaited: the command answers at once, whether or not the user reads the message.
    void vscode.window.showWarningMessage(TEXT.untrusted, TEXT.manageTrust).then((choice) => {
      if (choice === TEXT.manageTrust) void vscode.commands.executeCommand('workbench.trust.manage');
    });
    return false;
  }

  /** Opens a lab folder, reporting a broken one to the user. */
  open(labDir: string): OpenedLab | undefined {
    try {
      return openLab(labDir, this.installRoot);
    } catch (err) {
      void vscode.window.showErrorMessage(err instanceof LabFolderError ? err.message : TEXT.error((err as Error).message));
      return undefined;
    }
  }

  /**
   * Runs and grades a lab. Resolves with the result, or undefined when nothing ran (untrusted
   * workspace, not a lab, already running). `token` cancels it (e.g. from the Testing view).
   */
  async run(labDir: string, options: LabRunnerOptions = {}): Promise<LabRunResult | undefined> {
    if (!this.ensureTrusted()) return undefined;
    const lab = this.open(labDir);
    if (!lab) return undefined;
    if (this.active.has(labDir)) {
      void vscode.window.showInformationMessage(TEXT.alreadyRunning(lab.manifest.title));
      return undefined;
    }
    for (const note of lab.notes) this.output.appendLine(`note: ${note}`);

    const config = vscode.workspace.getConfiguration('mllabs', vscode.Uri.file(labDir));
    const timeBudget = config.get<number>('timeBudgetSeconds', 0);
    // Paused at a breakpoint, the learner's code must not run out of time.
    const timeBudgetMs = options.debug ? DEBUG_TIME_BUDGET_MS : timeBudget > 0 ? timeBudget * 1000 : lab.manifest.timeBudgetSeconds * 1000;
    const event = { labDir, lab };
    const startedAt = Date.now();
    let active: ActiveRun | undefined;
    let created: RunRecord | undefined;
    const handle = runLab(
      lab,
      {
        installRoot: this.installRoot,
        backend: config.get<BackendChoice>('backend', 'auto'),
        timeBudgetMs,
        memoryMb: config.get<number>('memoryLimitMb', 2048),
        ...(this.nativeDir ? { nativeDir: this.nativeDir } : {}),
        ...(options.debug ? { debug: options.debug } : {}),
      },
      {
        // Announced once the run is in the active set (below), so listeners see the lab as running.
        onCreated: (record) => (created = record),
        onReady: (m) => {
          if (active) active.backend = m;
          this.output.appendLine(`backend: ${m.backend} — ${m.reason}`);
          this.emitters.ready.fire({ ...event, runId: handle.runId, ready: m });
        },
        onStarted: (m) => {
          if (active) active.started = m;
          const hp = Object.entries(m.hyperparameters)
            .map(([k, v]) => `${k}=${v}`)
            .join(' ');
          this.output.appendLine(
            `training: ${m.rows.train} rows × ${m.features} features (validation ${m.rows.validation}, held-out test ${m.rows.test}); ${hp}`,
          );
          this.emitters.started.fire({ ...event, runId: handle.runId, started: m });
        },
        onEpoch: (m) => {
          if (active) active.lastEpoch = m;
          const metrics = Object.entries(m.metrics)
            .map(([k, v]) => `${k} ${formatMetric(k, v, lab.manifest)}`)
            .join('  ');
          this.output.appendLine(`  epoch ${m.epoch}  ${metrics}`);
          this.emitters.epoch.fire({ ...event, runId: handle.runId, epoch: m });
        },
        onLog: (level, message) => this.output.appendLine(`${level}: ${message}`),
        onOutput: (_stream, text) => {
          for (const line of text.split('\n')) if (line.trim()) this.output.appendLine(`│ ${line}`);
        },
      },
    );
    active = { lab, runId: handle.runId, handle, startedAt, timeBudgetMs, debugging: !!options.debug };
    this.active.set(labDir, active);
    if (created) {
      this.output.appendLine(`\n▶ ${lab.manifest.title} — run ${created.id} (seed ${created.seed})${options.debug ? ' — debugging' : ''}`);
      // What the learner's code prints shows there, as it runs (preserving the editor's focus).
      if (config.get<string>('revealOutput', 'onRun') === 'onRun') this.output.show(true);
      this.emitters.created.fire({ ...event, record: created });
    }
    const cancelSub = options.token?.onCancellationRequested(() => handle.cancel());
    const done = this.whenDone(labDir, active, cancelSub);
    if (options.showProgress !== false) this.showProgress(active, done);
    return done;
  }

  /** The run's result once it ends, told to the output channel and the listeners; undefined if it could not be recorded. */
  private whenDone(labDir: string, active: ActiveRun, cancelSub: vscode.Disposable | undefined): Promise<LabRunResult | undefined> {
    const event = { labDir, lab: active.lab };
    // The run leaves the active set before it is announced: listeners of onDidFinishRun (the editor
    // title's ▶/■, the status bar) must see the lab as no longer running.
    const settle = () => {
      if (this.active.get(labDir) === active) this.active.delete(labDir);
      cancelSub?.dispose();
    };
    return active.handle.result.then(
      (result) => {
        settle();
        this.output.appendLine(
          `■ ${result.record.status}${result.record.failure ? ` — ${result.record.failure.message}` : result.record.diagnosis ? ` — ${result.record.diagnosis}` : ''}; ${runVerdict(result.record, result.grade).text}`,
        );
        for (const line of describeProvenance(result.grade.provenance, result.grade.lab, result.grade.runId)) this.output.appendLine(`  ${line}`);
        this.emitters.finished.fire({ ...event, result });
        return result;
      },
      (err: Error) => {
        settle();
        this.output.appendLine(`■ the run could not be recorded: ${err.message}`);
        void vscode.window.showErrorMessage(TEXT.error(err.message));
        this.emitters.failed.fire({ ...event, error: err });
        return undefined;
      },
    );
  }

  private showProgress(active: ActiveRun, done: Promise<unknown>): void {
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: TEXT.running(active.lab.manifest.title), cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => active.handle.cancel());
        let reported = 0;
        const sub = this.onDidFinishEpoch((e) => {
          if (e.runId !== active.runId) return;
          const total = active.started?.epochs ?? 0;
          const pct = total > 0 ? (e.epoch.epoch / total) * 100 : 0;
          const loss = e.epoch.metrics.val_loss ?? e.epoch.metrics.loss;
          progress.report({ increment: pct - reported, message: TEXT.progress(e.epoch.epoch, total, formatValue(loss), active.backend?.backend ?? '') });
          reported = pct;
        });
        try {
          await done;
        } finally {
          sub.dispose();
        }
      },
    );
  }

  /** Cancels the run of a lab (or every run). */
  stop(labDir?: string): boolean {
    const targets = labDir ? [this.active.get(labDir)].filter((a): a is ActiveRun => !!a) : [...this.active.values()];
    for (const a of targets) a.handle.cancel();
    return targets.length > 0;
  }

  labName(labDir: string): string {
    return this.active.get(labDir)?.lab.manifest.title ?? path.basename(labDir);
  }

  dispose(): void {
    this.stop();
    for (const e of Object.values(this.emitters)) e.dispose();
  }
}
