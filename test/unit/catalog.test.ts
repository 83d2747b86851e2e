import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { loadCatalog, parseManifest } from '../../src/core/lab/catalog';
import { labJsonSchemaText } from '../../src/core/lab/schemaJson';
import { REPO_ROOT, tempDir } from '../helpers';

const TEMPLATES = path.join(REPO_ROOT, 'lab-templates');

function validManifest(id: string): Record<string, unknown> {
  const m = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'labs', 'linear', 'lab.json'), 'utf8')) as Record<string, unknown>;
  return { ...m, id };
}

describe('lab catalog and manifest', () => {
  it('loads every lab of the course without a problem', () => {
    const catalog = loadCatalog(TEMPLATES);
    assert.deepStrictEqual(catalog.problems, []);
    assert.ok(catalog.labs.some((l) => l.manifest.id === 'hand-tuning'));
  });

  it('names the file and the field of a broken manifest, and still loads the other labs', () => {
    const dir = tempDir();
    for (const id of ['good-lab', 'broken-lab', 'bad-json']) fs.mkdirSync(path.join(dir, id));
    fs.writeFileSync(path.join(dir, 'good-lab', 'lab.json'), JSON.stringify(validManifest('good-lab')));
    const broken = validManifest('broken-lab');
    (broken.data as Record<string, unknown>).split = { train: 0.5, validation: 0.2, test: 0.2 };
    (broken.checks as Record<string, unknown>[])[0].kind = 'metrik';
    fs.writeFileSync(path.join(dir, 'broken-lab', 'lab.json'), JSON.stringify(broken));
    fs.writeFileSync(path.join(dir, 'bad-json', 'lab.json'), '{ "id": "bad-json", ');

    const catalog = loadCatalog(dir);
    assert.deepStrictEqual(
      catalog.labs.map((l) => l.manifest.id),
      ['good-lab'],
    );
    const brokenProblem = catalog.problems.find((p) => p.file.endsWith(path.join('broken-lab', 'lab.json')))!;
    assert.ok(
      brokenProblem.messages.some((m) => m.startsWith('data.split: train + validation + test must be 1')),
      brokenProblem.messages.join('\n'),
    );
    assert.ok(
      brokenProblem.messages.some((m) => m.startsWith('checks[0]')),
      brokenProblem.messages.join('\n'),
    );
    const jsonProblem = catalog.problems.find((p) => p.file.endsWith(path.join('bad-json', 'lab.json')))!;
    assert.match(jsonProblem.messages[0], /^not valid JSON/);
  });

  it('rejects a wrong solution that names a check the lab does not have', () => {
    const m = validManifest('x');
    m.solutions = { reference: 'model.ts', wrong: [{ file: 'w.ts', why: 'w', fails: ['nope'], cause: 'stuck' }] };
    const r = parseManifest('lab.json', JSON.stringify(m));
    assert.strictEqual(r.ok, false);
    assert.ok(!r.ok && r.problem.messages.includes('solutions.wrong[0].fails[0]: no check with id "nope"'), JSON.stringify(!r.ok && r.problem.messages));
  });

  it('publishes a JSON Schema that matches the manifest schema', () => {
    const committed = fs.readFileSync(path.join(TEMPLATES, 'lab.schema.json'), 'utf8');
    assert.strictEqual(committed, labJsonSchemaText(), 'run "node dist/cli.js schema --write" after changing lab/manifest.ts');
  });
});
