// Writes a study's best trial into the learner's code: the literals of the entry file's exported
// hyperparameters object, as one edit the learner can undo. Used by the dashboard's "apply" button.
import * as path from 'path';
import * as vscode from 'vscode';
import { planHyperparameterEdits } from '../core/tuner/applyHyperparameters';
import { trialHyperparameters } from '../core/tuner/labTuning';
import type { OpenedLab } from '../core/run/labRun';
import type { BestTrial } from '../core/tuner';

const TEXT = {
  nothingToApply: (why: string) => vscode.l10n.t('Nothing to apply: {0}', why),
  notApplied: (why: string) => vscode.l10n.t('Not applied: {0}', why),
};

/** Writes the best trial's values into the entry file's hyperparameters, as one undoable edit. */
export async function applyBest(lab: OpenedLab, best: BestTrial): Promise<boolean> {
  const file = path.join(lab.labDir, lab.manifest.files[0]);
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  const plan = planHyperparameterEdits(lab.manifest.files[0], doc.getText(), trialHyperparameters(best.params, lab.manifest), lab.manifest.hyperparameters);
  if (plan.edits.length === 0) {
    void vscode.window.showWarningMessage(TEXT.nothingToApply(plan.skipped.map((s) => s.why).join('; ')));
    return false;
  }
  const edit = new vscode.WorkspaceEdit();
  for (const e of plan.edits)
    edit.replace(doc.uri, new vscode.Range(e.range.line - 1, e.range.column - 1, e.range.endLine - 1, e.range.endColumn - 1), e.newText);
  const ok = await vscode.workspace.applyEdit(edit);
  await vscode.window.showTextDocument(doc, { preview: false });
  if (plan.skipped.length) void vscode.window.showWarningMessage(TEXT.notApplied(plan.skipped.map((s) => s.why).join('; ')));
  return ok;
}
