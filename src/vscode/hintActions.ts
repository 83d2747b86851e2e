// Code actions on ML Labs diagnostics: "Show hint" always, and the lab's quick fix where the
// manifest declares a safe one (e.g. "Set labelScale to 100_000").
import * as path from 'path';
import * as vscode from 'vscode';
import { COMMAND } from './commands';
import { isCheckDiagnostic, toRange } from './gradeDiagnostics';

export class HintActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  provideCodeActions(_document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    for (const d of context.diagnostics) {
      if (!isCheckDiagnostic(d)) continue;
      const r = d.result;
      // The edit replaces the check's own anchor (e.g. the value after "labelScale ="), in its file.
      const at = r.fix?.range ?? r.location;
      if (r.fix && at) {
        const fix = new vscode.CodeAction(r.fix.title, vscode.CodeActionKind.QuickFix);
        fix.diagnostics = [d];
        fix.isPreferred = true;
        fix.edit = new vscode.WorkspaceEdit();
        fix.edit.replace(vscode.Uri.file(path.join(d.labDir, at.file)), toRange(at), r.fix.replacement);
        actions.push(fix);
      }
      if (r.hint) {
        const show = new vscode.CodeAction(vscode.l10n.t('Show hint: {0}', r.title), vscode.CodeActionKind.QuickFix);
        show.diagnostics = [d];
        show.command = { command: COMMAND.showHint, title: vscode.l10n.t('Show hint'), arguments: [d.labDir, r.id] };
        actions.push(show);
      }
    }
    return actions;
  }
}
