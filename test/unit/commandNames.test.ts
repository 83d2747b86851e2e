// Every "ML Labs: <command>" the learner reads (the README, the walkthrough, the labs' instructions,
// the webviews) names a command the palette really has, so typing it finds it.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { COMMAND_IDS } from '../../src/vscode/commands';
import { REPO_ROOT } from '../helpers';

function files(dir: string, ext: RegExp): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && e.name !== 'node_modules' && e.name !== 'solutions') out.push(...files(p, ext));
    else if (e.isFile() && ext.test(e.name)) out.push(p);
  }
  return out;
}

describe('command names in what the learner reads', () => {
  it('name commands the palette has ("ML Labs: Run Lab", not "ML Labs: Run")', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
      contributes: { commands: { title: string; category?: string }[] };
    };
    const titles = pkg.contributes.commands.filter((c) => c.category === 'ML Labs').map((c) => c.title);
    const read = [
      path.join(REPO_ROOT, 'README.md'),
      ...files(path.join(REPO_ROOT, 'media'), /\.(md|ts)$/),
      ...files(path.join(REPO_ROOT, 'lab-templates'), /\.md$/),
    ];
    const wrong: string[] = [];
    let seen = 0;
    for (const file of read) {
      const text = fs.readFileSync(file, 'utf8');
      // In prose a command name is set in bold or in parentheses: **ML Labs: Run Lab**, (ML Labs: Run Lab).
      for (const m of text.matchAll(/(?:\*\*|\()ML Labs: ([^*)]+?)(?:\*\*|\))/g)) {
        seen++;
        if (!titles.includes(m[1]!)) wrong.push(`${path.relative(REPO_ROOT, file)}: "ML Labs: ${m[1]}"`);
      }
    }
    assert.ok(seen >= 10, `found ${seen} command names`);
    assert.deepStrictEqual(wrong, [], `not a command title (${titles.join(', ')})`);
  });

  it('spells in src/vscode/commands.ts exactly the command ids package.json contributes', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { contributes: { commands: { command: string }[] } };
    const contributed = pkg.contributes.commands.map((c) => c.command);
    assert.deepStrictEqual([...COMMAND_IDS].sort(), [...contributed].sort());
    assert.strictEqual(new Set(COMMAND_IDS).size, COMMAND_IDS.length, 'no id twice');
  });
});
