// What the learner is told when a run ends: passed, which checks failed (they are marked in the
// code), or — when the run never trained — that it did not train and why, with a way to the line;
// a cancelled run is no failure. Derived from the run's status, never from "failed checks" alone.
import * as path from 'path';
import * as vscode from 'vscode';
import type { LabRunResult, OpenedLab } from '../core/run/labRun';
import { runVerdict, type RunVerdict } from '../core/run/verdict';

export interface Announcement {
  severity: 'info' | 'warning' | 'error';
  message: string;
  actions: string[];
}

const TEXT = {
  passed: (title: string, summary: string) => vscode.l10n.t('{0}: {1}.', title, summary),
  checksFailed: (title: string, summary: string) => vscode.l10n.t('{0}: {1}; the failed checks are marked in your code.', title, summary),
  notGraded: (title: string, verdict: string) => vscode.l10n.t('{0} {1}.', title, verdict),
  cancelled: (title: string, verdict: string) => vscode.l10n.t('{0}: run {1}; nothing was graded.', title, verdict),
  showProblems: vscode.l10n.t('Show Problems'),
  showOutput: vscode.l10n.t('Show Output'),
  goTo: (where: string) => vscode.l10n.t('Go to {0}', where),
};

export function announcement(title: string, verdict: RunVerdict): Announcement {
  switch (verdict.kind) {
    case 'passed':
      return { severity: 'info', message: TEXT.passed(title, verdict.text), actions: [] };
    case 'checks-failed':
      return { severity: 'warning', message: TEXT.checksFailed(title, verdict.text), actions: [TEXT.showProblems] };
    case 'cancelled':
      return { severity: 'info', message: TEXT.cancelled(title, verdict.text), actions: [] };
    case 'did-not-train':
    case 'did-not-finish': {
      const loc = verdict.location;
      return {
        severity: 'error',
        message: TEXT.notGraded(title, verdict.text.replace(/\.$/, '')),
        actions: [...(loc ? [TEXT.goTo(`${loc.file}:${loc.line}`)] : []), TEXT.showOutput],
      };
    }
  }
}

/** Shows the announcement of a finished run and acts on the button the learner picks. */
export function announceRun(lab: OpenedLab, result: LabRunResult, output: vscode.OutputChannel, onShown?: (a: Announcement) => void): Announcement {
  const verdict = runVerdict(result.record, result.grade);
  const a = announcement(lab.manifest.title, verdict);
  const config = vscode.workspace.getConfiguration('mllabs', vscode.Uri.file(lab.labDir));
  if (!verdict.graded && verdict.kind !== 'cancelled' && config.get<string>('revealOutput', 'onRun') !== 'never') output.show(true);
  const show =
    a.severity === 'info' ? vscode.window.showInformationMessage : a.severity === 'warning' ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
  void show(a.message, ...a.actions).then(async (choice) => {
    if (choice === TEXT.showProblems) await vscode.commands.executeCommand('workbench.actions.view.problems');
    else if (choice === TEXT.showOutput) output.show(false);
    else if (choice && verdict.location) {
      const loc = verdict.location;
      const pos = new vscode.Position(loc.line - 1, Math.max(0, loc.column - 1));
      await vscode.window.showTextDocument(vscode.Uri.file(path.join(lab.labDir, loc.file)), { selection: new vscode.Range(pos, pos), preview: false });
    }
  });
  onShown?.(a);
  return a;
}
