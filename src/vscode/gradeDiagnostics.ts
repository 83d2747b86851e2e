// Grades as diagnostics on the learner's own lines: each failed check on the exact range it
// concerns, with the measured value, the bar and the hint. A new grade replaces the old one, so
// passed checks clear their diagnostics.
import * as path from 'path';
import * as vscode from 'vscode';
import type { CheckResult, GradeReport } from '../core/grade/report';
import type { SourceRange } from '../core/source/locate';

export const DIAGNOSTIC_SOURCE = 'ML Labs';

/** What a diagnostic carries besides its message, for code actions. */
export interface CheckDiagnostic extends vscode.Diagnostic {
  labDir: string;
  result: CheckResult;
}

/** A grade's 1-based source range as an editor range (never empty: at least one character). */
export function toRange(r: SourceRange): vscode.Range {
  return new vscode.Range(r.line - 1, r.column - 1, r.endLine - 1, Math.max(r.endColumn - 1, r.column));
}

export function isCheckDiagnostic(d: vscode.Diagnostic): d is CheckDiagnostic {
  return d.source === DIAGNOSTIC_SOURCE && 'result' in d;
}

export function diagnosticMessage(r: CheckResult): string {
  // Most messages already state the measurement and the bar; add them only where one does not.
  const measured =
    r.measured !== undefined && r.bar !== undefined && !r.message.includes(r.bar) ? ` ${vscode.l10n.t('(measured {0}; needs {1})', r.measured, r.bar)}` : '';
  return `${r.title}: ${r.message}${measured}${r.hint ? `\n${vscode.l10n.t('Hint: {0}', r.hint)}` : ''}`;
}

export class GradeDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('mllabs');
  /** Files that carry diagnostics of each lab, to clear them on the next grade. */
  private readonly filesByLab = new Map<string, Set<string>>();

  /** Shows a grade; `entryFile` receives failures that have no location of their own. */
  show(labDir: string, grade: GradeReport, entryFile: string): void {
    this.clear(labDir);
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const r of grade.results) {
      if (r.status !== 'fail') continue;
      const file = path.join(labDir, r.location?.file ?? entryFile);
      const range = r.location ? toRange(r.location) : new vscode.Range(0, 0, 0, 0);
      const d = new vscode.Diagnostic(
        range,
        diagnosticMessage(r),
        r.optional ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Error,
      ) as CheckDiagnostic;
      d.source = DIAGNOSTIC_SOURCE;
      d.code = r.id;
      d.labDir = labDir;
      d.result = r;
      const list = byFile.get(file) ?? [];
      list.push(d);
      byFile.set(file, list);
    }
    for (const [file, list] of byFile) this.collection.set(vscode.Uri.file(file), list);
    this.filesByLab.set(labDir, new Set(byFile.keys()));
  }

  clear(labDir: string): void {
    for (const file of this.filesByLab.get(labDir) ?? []) this.collection.delete(vscode.Uri.file(file));
    this.filesByLab.delete(labDir);
  }

  dispose(): void {
    this.collection.dispose();
  }
}
