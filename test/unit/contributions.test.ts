// What package.json contributes to the editor: the extension's own activity bar icon (not the
// Testing view's flask), ▶/■ in the editor title following the active lab's run, the Run Lab
// keybinding only in a lab file, and every setting with the scope it is read at.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT } from '../helpers';

const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  contributes: {
    viewsContainers: { activitybar: { id: string; icon: string }[] };
    menus: Record<string, { command: string; when?: string }[]>;
    keybindings: { command: string; key: string; when: string }[];
    configuration: { properties: Record<string, { scope?: string }> };
  };
};

describe('package contributions', () => {
  it("gives the activity bar the extension's own icon, not a flask like the Testing view's", () => {
    const container = pkg.contributes.viewsContainers.activitybar.find((c) => c.id === 'mllabs')!;
    const svg = fs.readFileSync(path.join(REPO_ROOT, container.icon), 'utf8');
    assert.match(svg, /^<svg [^>]*viewBox="0 0 24 24"/);
    assert.match(svg, /currentColor/, 'it takes the theme’s colour');
    // The Testing view's beaker: a narrow neck widening into a flat-bottomed body.
    assert.doesNotMatch(svg, /v6\.5L4\.6 18\.4/, 'not the flask');
  });

  it('shows ▶ or ■ in the editor title by whether the active lab runs, and binds Run Lab in lab files only', () => {
    const title = pkg.contributes.menus['editor/title']!;
    assert.strictEqual(title.find((m) => m.command === 'mllabs.run')!.when, 'mllabs.isLabFile && !mllabs.labRunning');
    assert.strictEqual(title.find((m) => m.command === 'mllabs.stop')!.when, 'mllabs.isLabFile && mllabs.labRunning');
    const key = pkg.contributes.keybindings.find((k) => k.command === 'mllabs.run')!;
    assert.match(key.when, /\bmllabs\.isLabFile\b/);
    assert.match(key.when, /\beditorTextFocus\b/);
  });

  it('declares the scope of every setting', () => {
    const props = pkg.contributes.configuration.properties;
    for (const [name, p] of Object.entries(props)) assert.ok(p.scope, `${name} has no scope`);
    // Read per lab folder (getConfiguration with the lab's URI): a workspace folder may set them.
    for (const name of ['mllabs.backend', 'mllabs.timeBudgetSeconds', 'mllabs.autoOpenDashboard', 'mllabs.revealOutput'])
      assert.strictEqual(props[name]!.scope, 'resource', name);
  });
});
