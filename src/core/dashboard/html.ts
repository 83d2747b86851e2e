// The dashboard webview's page: the shared shell, with data: images allowed so that a chart can be
// exported as PNG.
import { webviewCsp, webviewHtml } from '../webviewHtml';

export interface DashboardHtmlInput {
  nonce: string;
  cspSource: string;
  /** asWebviewUri of dist/media/dashboard.js */
  scriptUri: string;
  /** asWebviewUri of dist/media/dashboard.css */
  styleUri: string;
  title?: string;
}

const IMG_EXTRA = ['data:'] as const;

export function dashboardCsp(nonce: string, cspSource: string): string {
  return webviewCsp(nonce, cspSource, IMG_EXTRA);
}

export function dashboardHtml(input: DashboardHtmlInput): string {
  return webviewHtml({ ...input, title: input.title ?? 'ML Labs Dashboard', loading: 'Loading the dashboard…', imgExtra: IMG_EXTRA });
}
