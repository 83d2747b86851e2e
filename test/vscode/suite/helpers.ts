import * as path from 'path';
import * as vscode from 'vscode';
import type { MlLabsApi } from '../../../src/vscode/extension';

export const EXTENSION_ID = 'mllabs.mllabs';

export async function api(): Promise<MlLabsApi> {
  const ext = vscode.extensions.getExtension<MlLabsApi>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not loaded`);
  return ext.activate();
}

export function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the tests need a workspace folder');
  return folder.uri.fsPath;
}

/** Resolves with the first value `event` fires that satisfies `accept`. */
export function nextEvent<T>(event: vscode.Event<T>, accept: (value: T) => boolean = () => true, timeoutMs = 60_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error('timed out waiting for an event'));
    }, timeoutMs);
    const sub = event((value) => {
      if (!accept(value)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(value);
    });
  });
}

export function diagnosticsOf(file: string): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(vscode.Uri.file(file)).filter((d) => d.source === 'ML Labs');
}

export function labFile(dir: string, name = 'model.ts'): string {
  return path.join(dir, name);
}
