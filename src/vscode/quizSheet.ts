// The question being answered, in full, in an editor beside the quick pick: the scenario, the
// question and every option stay in view while the learner chooses (a quick pick shows one line of
// each). A read-only document of its own scheme, updated in place from one question to the next.
import * as vscode from 'vscode';

export interface QuestionSheet {
  /** Shows (or replaces) the sheet's text, without taking the focus from the quick pick. */
  show(markdown: string): Promise<void>;
  /** Closes the sheet. */
  close(): Promise<void>;
}

const SCHEME = 'mllabs-quiz';

export class EditorQuestionSheet implements QuestionSheet, vscode.Disposable {
  private readonly uri: vscode.Uri;
  private text = '';
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private readonly registration: vscode.Disposable;

  constructor(title: string) {
    // The path names the tab; .md gives the text markdown colouring.
    this.uri = vscode.Uri.from({ scheme: SCHEME, path: `/${title.replace(/[\\/]/g, '-')}.md` });
    this.registration = vscode.workspace.registerTextDocumentContentProvider(SCHEME, {
      onDidChange: this.changed.event,
      provideTextDocumentContent: () => this.text,
    });
  }

  async show(markdown: string): Promise<void> {
    this.text = markdown;
    this.changed.fire(this.uri);
    const open = vscode.window.visibleTextEditors.some((e) => e.document.uri.toString() === this.uri.toString());
    if (!open) await vscode.window.showTextDocument(this.uri, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true, preview: false });
  }

  async close(): Promise<void> {
    const tabs = vscode.window.tabGroups.all
      .flatMap((g) => g.tabs)
      .filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === this.uri.toString());
    if (tabs.length) await vscode.window.tabGroups.close(tabs);
    this.dispose();
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}
