// The playground webview's page: the shared shell.
import { webviewCsp, webviewHtml } from '../webviewHtml';

export interface PlaygroundHtmlInput {
  nonce: string;
  cspSource: string;
  /** asWebviewUri of dist/media/playground.js */
  scriptUri: string;
  /** asWebviewUri of dist/media/playground.css */
  styleUri: string;
  title?: string;
}

export function playgroundCsp(nonce: string, cspSource: string): string {
  return webviewCsp(nonce, cspSource);
}

export function playgroundHtml(input: PlaygroundHtmlInput): string {
  return webviewHtml({ ...input, title: input.title ?? 'ML Labs Playground', loading: 'Loading the playground…' });
}
