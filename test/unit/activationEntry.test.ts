// The activation entry (dist/extension.js) stays small: VS Code glue and tiny modules only, with the
// implementation in dist/extensionMain.js, loaded on first use.
import * as assert from 'assert';
import * as esbuild from 'esbuild';
import * as path from 'path';
import { MANIFEST_FILE as CATALOG_MANIFEST_FILE } from '../../src/core/lab/catalog';
import { MANIFEST_FILE } from '../../src/vscode/labIds';
import { REPO_ROOT } from '../helpers';

describe('extension activation entry', () => {
  it('bundles no implementation: only src/vscode glue and core/files/paths', async () => {
    const { builds } = require(path.join(REPO_ROOT, 'esbuild.js')) as { builds: esbuild.BuildOptions[] };
    const entry = builds.find((b) => b.outfile === 'dist/extension.js');
    assert.ok(entry, 'esbuild.js builds dist/extension.js');
    const result = await esbuild.build({ ...entry, absWorkingDir: REPO_ROOT, write: false, metafile: true, sourcemap: false, minify: true });
    const inputs = Object.keys(result.metafile.inputs).sort();
    assert.deepStrictEqual(inputs, [
      'src/core/files/paths.ts',
      'src/vscode/commands.ts',
      'src/vscode/extension.ts',
      'src/vscode/gradeDiagnostics.ts',
      'src/vscode/hintActions.ts',
      'src/vscode/labFolders.ts',
      'src/vscode/labIds.ts',
    ]);
    const imports = Object.values(result.metafile.outputs).flatMap((o) => o.imports.map((i) => i.path));
    assert.ok(imports.includes('./extensionMain.js'), 'the implementation stays a separate bundle');
  });

  it('names the lab manifest as the catalog does', () => {
    assert.strictEqual(MANIFEST_FILE, CATALOG_MANIFEST_FILE);
  });
});
