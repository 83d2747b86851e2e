import * as assert from 'assert';
import { randomBytes } from 'crypto';
import { playgroundCsp, playgroundHtml } from '../../../src/core/playground/html';

const CSP_SOURCE = 'https://file+.vscode-resource.vscode-cdn.net';

function page(nonce = randomBytes(18).toString('base64'), title?: string): string {
  return playgroundHtml({
    nonce,
    cspSource: CSP_SOURCE,
    scriptUri: `${CSP_SOURCE}/ext/dist/media/playground.js`,
    styleUri: `${CSP_SOURCE}/ext/dist/media/playground.css`,
    ...(title ? { title } : {}),
  });
}

describe('playground HTML', () => {
  it('has a CSP that allows nothing by default and scripts only with the nonce', () => {
    const nonce = randomBytes(18).toString('base64');
    const html = page(nonce);
    const m = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
    assert.ok(m);
    const csp = m[1]!;
    const directives = new Map(
      csp
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([k, ...v]) => [k!, v]),
    );
    assert.deepStrictEqual(directives.get('default-src'), ["'none'"]);
    assert.deepStrictEqual(directives.get('script-src'), [`'nonce-${nonce}'`]);
    assert.deepStrictEqual(directives.get('style-src'), [CSP_SOURCE]);
    assert.deepStrictEqual(directives.get('img-src'), [CSP_SOURCE]);
    assert.ok(!/unsafe-inline|unsafe-eval|\*|data:/.test(csp), csp);
    assert.strictEqual(csp, playgroundCsp(nonce, CSP_SOURCE));
  });

  it('loads one external script with the nonce and has no inline code, style or handler', () => {
    const nonce = randomBytes(18).toString('base64');
    const html = page(nonce);
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    assert.strictEqual(scripts.length, 1);
    assert.ok(scripts[0]!.includes(`nonce="${nonce}"`) && scripts[0]!.includes('src="'));
    assert.match(html, /<script[^>]*><\/script>/);
    assert.doesNotMatch(html, /\son[a-z]+=|<style|style="/i);
  });

  it('refuses a weak nonce or a CSP source that could inject directives, and escapes the title', () => {
    assert.throws(() => page('short'));
    assert.throws(() => page("abcdefghijklmnop'; script-src *"));
    const withSource = (cspSource: string) => playgroundHtml({ nonce: randomBytes(18).toString('base64'), cspSource, scriptUri: 'a', styleUri: 'b' });
    for (const bad of ["x; script-src 'unsafe-inline'", "'unsafe-inline'", '*', "https://a.net 'unsafe-eval'", 'a"b', ''])
      assert.throws(() => withSource(bad), bad);
    // VS Code for the web (code-server) gives a list.
    assert.match(withSource("'self' https://*.vscode-cdn.net"), /script-src 'nonce-[^']+'/);
    assert.ok(withSource("'self' https://*.vscode-cdn.net").includes("style-src 'self' https://*.vscode-cdn.net;"));
    assert.ok(page(undefined, '<img src=x onerror=alert(1)>').includes('&lt;img src=x onerror=alert(1)&gt;'));
  });
});
