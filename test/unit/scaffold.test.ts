import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { findLab, loadCatalog } from '../../src/core/lab/catalog';
import { ScaffoldConflictError, scaffoldLab } from '../../src/core/lab/scaffold';
import { REPO_ROOT, tempDir } from '../helpers';

const TEMPLATES = path.join(REPO_ROOT, 'lab-templates');
const lab = () => findLab(loadCatalog(TEMPLATES), 'hand-tuning')!;

describe('scaffolding a lab', () => {
  it('copies instructions, starter code, manifest and data, but not the solutions', () => {
    const dest = path.join(tempDir(), 'my-lab');
    const result = scaffoldLab(lab(), TEMPLATES, dest);
    for (const f of ['README.md', 'model.ts', 'lab.json', 'data/california_housing.csv', 'data/README.md', 'data/housing.ts']) {
      assert.ok(fs.existsSync(path.join(dest, f)), `${f} missing`);
      assert.ok(result.written.includes(f));
    }
    assert.ok(!fs.existsSync(path.join(dest, 'solutions')));
    assert.match(fs.readFileSync(path.join(dest, 'model.ts'), 'utf8'), /TODO/);
  });

  it('never overwrites a learner file: refuses and changes nothing', () => {
    const dest = tempDir();
    fs.writeFileSync(path.join(dest, 'model.ts'), 'my work');
    assert.throws(
      () => scaffoldLab(lab(), TEMPLATES, dest),
      (err: unknown) => {
        assert.ok(err instanceof ScaffoldConflictError);
        assert.deepStrictEqual(err.existing, ['model.ts']);
        assert.match(err.message, /already has a file this lab would write: model\.ts\. Nothing was changed/);
        return true;
      },
    );
    assert.strictEqual(fs.readFileSync(path.join(dest, 'model.ts'), 'utf8'), 'my work');
    assert.deepStrictEqual(fs.readdirSync(dest), ['model.ts']);
  });

  it('can keep existing files and add only the missing ones', () => {
    const dest = tempDir();
    fs.writeFileSync(path.join(dest, 'model.ts'), 'my work');
    const result = scaffoldLab(lab(), TEMPLATES, dest, 'keep-existing');
    assert.deepStrictEqual(result.kept, ['model.ts']);
    assert.strictEqual(fs.readFileSync(path.join(dest, 'model.ts'), 'utf8'), 'my work');
    assert.ok(fs.existsSync(path.join(dest, 'README.md')));
  });
});
