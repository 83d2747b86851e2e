// The dashboard webview's HTML: an empty shell the bundled script fills in. The Content-Security-
// Policy allows nothing by default; the one script runs because it carries the nonce, styles and
// images come only from the webview's own resource origin (images also as data: URLs for exports).
// No inline script, style or event handler, so injected markup can never run.

export interface DashboardHtmlInput {
  /** Fresh for every page load, from crypto.randomBytes (never Math.random). */
  nonce: string;
  /** webview.cspSource */
  cspSource: string;
  /** asWebviewUri of dist/media/dashboard.js */
  scriptUri: string;
  /** asWebviewUri of dist/media/dashboard.css */
  styleUri: string;
  title?: string;
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function dashboardCsp(nonce: string, cspSource: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

export function dashboardHtml(input: DashboardHtmlInput): string {
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(input.nonce)) throw new Error('the nonce must be at least 16 base64 characters');
  if (/[;'"\s]/.test(input.cspSource.trim()) || !input.cspSource.trim()) throw new Error(`unexpected CSP source "${input.cspSource}"`);
  const title = escapeAttr(input.title ?? 'ML Labs Dashboard');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(dashboardCsp(input.nonce, input.cspSource.trim()))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttr(input.styleUri)}">
<title>${title}</title>
</head>
<body>
<main id="app" aria-busy="true"><p class="loading">Loading the dashboard…</p></main>
<script nonce="${escapeAttr(input.nonce)}" src="${escapeAttr(input.scriptUri)}"></script>
</body>
</html>
`;
}
