// The HTML shell every ML Labs webview loads: an empty page its bundled script fills in. The
// Content-Security-Policy allows nothing by default; the one script runs because it carries the
// nonce, and styles, fonts and images come only from the webview's own resource origin. No inline
// script, style or event handler, so injected markup can never run.

export interface WebviewHtmlInput {
  /** Fresh for every page load, from crypto.randomBytes (never Math.random). */
  nonce: string;
  /** webview.cspSource */
  cspSource: string;
  /** asWebviewUri of the page's bundled script */
  scriptUri: string;
  /** asWebviewUri of the page's stylesheet */
  styleUri: string;
  title: string;
  /** Shown until the script has drawn the page. */
  loading: string;
  /** Extra image sources, e.g. "data:" for a page that exports its charts as PNG. */
  imgExtra?: readonly string[];
}

export function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * webview.cspSource is a source list: one origin in desktop VS Code, "'self' https://*.vscode-cdn.net"
 * in VS Code for the web. Host sources and 'self' pass; anything that could end the directive or
 * loosen it ('unsafe-inline', a bare *) does not.
 */
export function isSourceList(source: string): boolean {
  const tokens = source.split(/\s+/);
  return source.length > 0 && tokens.every((t) => t === "'self'" || (/^[A-Za-z0-9*+.:/_%-]+$/.test(t) && t !== '*' && /[A-Za-z0-9]/.test(t)));
}

export function webviewCsp(nonce: string, cspSource: string, imgExtra: readonly string[] = []): string {
  return [
    "default-src 'none'",
    ['img-src', cspSource, ...imgExtra].join(' '),
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

export function webviewHtml(input: WebviewHtmlInput): string {
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(input.nonce)) throw new Error('the nonce must be at least 16 base64 characters');
  const source = input.cspSource.trim();
  if (!isSourceList(source)) throw new Error(`unexpected CSP source "${input.cspSource}"`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(webviewCsp(input.nonce, source, input.imgExtra))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttr(input.styleUri)}">
<title>${escapeAttr(input.title)}</title>
</head>
<body>
<main id="app" aria-busy="true"><p class="loading">${escapeAttr(input.loading)}</p></main>
<script nonce="${escapeAttr(input.nonce)}" src="${escapeAttr(input.scriptUri)}"></script>
</body>
</html>
`;
}
