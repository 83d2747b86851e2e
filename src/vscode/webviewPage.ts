// What a webview page of dist/media needs from the extension host: a fresh nonce for its
// Content-Security-Policy, the webview's resource origin, and its script and stylesheet.
import { randomBytes } from 'crypto';
import * as vscode from 'vscode';

export interface WebviewPage {
  nonce: string;
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  title: string;
}

/** `page` names the bundle: dist/media/<page>.js and dist/media/<page>.css. */
export function webviewPage(webview: vscode.Webview, extensionUri: vscode.Uri, page: string, title: string): WebviewPage {
  const asset = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'media', name)).toString();
  return {
    nonce: randomBytes(18).toString('base64'),
    cspSource: webview.cspSource,
    scriptUri: asset(`${page}.js`),
    styleUri: asset(`${page}.css`),
    title,
  };
}
