import * as assert from 'assert';
import { randomBytes } from 'crypto';
import { dashboardCsp, dashboardHtml } from '../../../src/core/dashboard/html';

const CSP_SOURCE = 'https://file+.vscode-resource.vscode-cdn.net';

function page(nonce = randomBytes(18).toString('base64')) {
  return {
    nonce,
    html: dashboardHtml({
      nonce,
      cspSource: CSP_SOURCE,
      scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/media/dashboard.js',
      styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/media/dashboard.css',
    }),
  };
}

function cspOf(html: string): string {
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(m, 'the page has a CSP meta tag');
  return m[1]!.replace(/&#39;|&apos;/g, "'");
}

describe('dashboard HTML', () => {
  it('has a CSP that allows nothing by default and scripts only with the nonce', () => {
    const { html, nonce } = page();
    const csp = cspOf(html);
    const directives = new Map(
      csp
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([k, ...v]) => [k!, v]),
    );
    assert.deepStrictEqual(directives.get('default-src'), ["'none'"]);
    assert.deepStrictEqual(directives.get('script-src'), [`'nonce-${nonce}'`]);
    assert.deepStrictEqual(directives.get('style-src'), [CSP_SOURCE]);
    assert.deepStrictEqual(directives.get('img-src'), [CSP_SOURCE, 'data:']);
    assert.ok(!/unsafe-inline|unsafe-eval|\*/.test(csp), csp);
    assert.strictEqual(csp, dashboardCsp(nonce, CSP_SOURCE));
  });

  it('loads exactly one script, external and carrying the nonce, and no inline code or styles', () => {
    const { html, nonce } = page();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    assert.strictEqual(scripts.length, 1);
    assert.ok(scripts[0]!.includes(`nonce="${nonce}"`));
    assert.ok(/src="https:\/\/file\+\.vscode-resource[^"]*dashboard\.js"/.test(scripts[0]!));
    assert.ok(/<script\b[^>]*><\/script>/.test(html), 'the script element has no inline body');
    assert.ok(!/\son[a-z]+\s*=/i.test(html), 'no inline event handlers');
    assert.ok(!/\sstyle\s*=/i.test(html), 'no inline style attributes');
    assert.ok(!/<style\b/i.test(html), 'no style elements');
    assert.ok(!/javascript:/i.test(html));
  });

  it('uses a fresh nonce per page and refuses weak nonces and odd CSP sources', () => {
    assert.notStrictEqual(page().nonce, page().nonce);
    assert.throws(() => dashboardHtml({ nonce: 'abc', cspSource: CSP_SOURCE, scriptUri: 'a', styleUri: 'b' }));
    assert.throws(() =>
      dashboardHtml({ nonce: randomBytes(18).toString('base64'), cspSource: "x; script-src 'unsafe-inline'", scriptUri: 'a', styleUri: 'b' }),
    );
    // VS Code for the web (code-server) gives a source list; the dashboard must still open there.
    const web = dashboardHtml({ nonce: randomBytes(18).toString('base64'), cspSource: "'self' https://*.vscode-cdn.net", scriptUri: 'a', styleUri: 'b' });
    assert.ok(web.includes("img-src 'self' https://*.vscode-cdn.net data:;"));
  });

  it('escapes the asset addresses it is given', () => {
    const html = dashboardHtml({ nonce: randomBytes(18).toString('base64'), cspSource: CSP_SOURCE, scriptUri: 'x"><script>alert(1)</script>', styleUri: 's' });
    assert.strictEqual((html.match(/<script\b/g) ?? []).length, 1);
    assert.ok(html.includes('x&quot;&gt;&lt;script&gt;'));
  });
});
