// The playground webview's HTML: an empty shell the bundled script fills in. The Content-Security-
// Policy allows nothing by default; the one script runs because it carries the nonce, styles and
// images come only from the webview's own resource origin. No inline script, style or handler.

export interface PlaygroundHtmlInput {
  /** Fresh for every page load, from crypto.randomBytes (never Math.random). */
  nonce: string;
  /** webview.cspSource */
  cspSource: string;
  /** asWebviewUri of dist/media/playground.js */
  scriptUri: string;
  /** asWebviewUri of dist/media/playground.css */
  styleUri: string;
  title?: string;
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * webview.cspSource is a source list: one origin in desktop VS Code, "'self' https://*.vscode-cdn.net"
 * in VS Code for the web. Host sources and 'self' pass; anything that could end the directive or
 * loosen it ('unsafe-inline', a bare *) does not.
 */
function isSourceList(source: string): boolean {
  const tokens = source.split(/\s+/);
  return source.length > 0 && tokens.every((t) => t === "'self'" || (/^[A-Za-z0-9*+.:/_%-]+$/.test(t) && t !== '*' && /[A-Za-z0-9]/.test(t)));
}

export function playgroundCsp(nonce: string, cspSource: string): string {
  return ["default-src 'none'", `img-src ${cspSource}`, `style-src ${cspSource}`, `font-src ${cspSource}`, `script-src 'nonce-${nonce}'`].join('; ');
}

export function playgroundHtml(input: PlaygroundHtmlInput): string {
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(input.nonce)) throw new Error('the nonce must be at least 16 base64 characters');
  const source = input.cspSource.trim();
  if (!isSourceList(source)) throw new Error(`unexpected CSP source "${input.cspSource}"`);
  const title = escapeAttr(input.title ?? 'ML Labs Playground');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(playgroundCsp(input.nonce, source))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttr(input.styleUri)}">
<title>${title}</title>
</head>
<body>
<main id="app" aria-busy="true"><p class="loading">Loading the playground…</p></main>
<script nonce="${escapeAttr(input.nonce)}" src="${escapeAttr(input.scriptUri)}"></script>
</body>
</html>
`;
}
