// The strings the extension shows go through vscode.l10n; l10n/bundle.l10n.json is what translators
// start from, so it must hold exactly the strings the code uses (regenerate with `npm run l10n`).
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT, tempDir } from '../helpers';

describe('localization bundle', () => {
  it('lists every vscode.l10n.t string of src/vscode, and no stale one', function () {
    this.timeout(60_000);
    const cli = path.join(REPO_ROOT, 'node_modules', '@vscode', 'l10n-dev', 'dist', 'cli.js');
    if (!fs.existsSync(cli)) this.skip();
    const out = tempDir('mllabs-l10n-');
    const r = spawnSync(process.execPath, [cli, 'export', '--outDir', out, path.join(REPO_ROOT, 'src', 'vscode')], { encoding: 'utf8' });
    assert.strictEqual(r.status, 0, r.stderr);
    const fresh = JSON.parse(fs.readFileSync(path.join(out, 'bundle.l10n.json'), 'utf8')) as Record<string, string>;
    const committed = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'l10n', 'bundle.l10n.json'), 'utf8')) as Record<string, string>;
    assert.deepStrictEqual(Object.keys(committed).sort(), Object.keys(fresh).sort(), 'l10n/bundle.l10n.json is out of date: run `npm run l10n`');
    assert.ok(Object.keys(fresh).length > 100);
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { l10n?: string };
    assert.strictEqual(pkg.l10n, './l10n');
  });

  it('leaves no user-facing message in src/vscode outside vscode.l10n', () => {
    // Messages shown by VS Code: the first argument of show*Message and of QuickPick placeholders.
    const dir = path.join(REPO_ROOT, 'src', 'vscode');
    const offenders: string[] = [];
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      for (const m of text.matchAll(/show(?:Information|Warning|Error)Message\(\s*(['"`])/g)) offenders.push(`${f}: ${text.slice(m.index, m.index + 70)}`);
      for (const m of text.matchAll(/placeHolder:\s*(['"`])/g)) offenders.push(`${f}: ${text.slice(m.index, m.index + 70)}`);
    }
    assert.deepStrictEqual(offenders, []);
  });
});
