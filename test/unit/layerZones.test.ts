// The layers are enforced by ESLint (eslint.config.mjs): this proves the rules bite, by linting small
// snippets as if they sat in each folder. Type-aware rules are off here (the snippets are in no
// program); the layer rules need only the import's text and the file it resolves to.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { REPO_ROOT } from '../helpers';

/**
 * An existing module of a folder, as a snippet in `from` would import it: the zones resolve imports,
 * so the target must exist, and files move within folders, so none is named here.
 */
function moduleIn(from: string, folder: string, accept: (file: string, text: string) => boolean = () => true): string {
  const walk = (dir: string): string[] =>
    fs
      .readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? walk(`${dir}/${e.name}`) : e.name.endsWith('.ts') ? [`${dir}/${e.name}`] : []));
  const file = walk(folder)
    .sort()
    .find((f) => accept(f, fs.readFileSync(path.join(REPO_ROOT, f), 'utf8')));
  assert.ok(file, `no module in ${folder}`);
  const rel = path.posix.relative(path.posix.dirname(from), file.replace(/\.ts$/, ''));
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/** A snippet importing a module of `folder` from `from`. */
function importing(from: string, folder: string, accept?: (file: string, text: string) => boolean): { file: string; code: string } {
  return { file: from, code: `import * as m from '${moduleIn(from, folder, accept)}';\nexport const a = m;` };
}

const usesNode = (_file: string, text: string) => /from '(fs|path|os|child_process|\.\.\/process\/[^']*)'/.test(text);

const LAYER_RULES = ['@typescript-eslint/no-restricted-imports', 'no-restricted-syntax', 'import-x/no-restricted-paths', 'import-x/no-nodejs-modules'];

describe('layer zones in ESLint', function () {
  this.timeout(60_000);
  let eslint: ESLint;

  before(() => {
    eslint = new ESLint({ cwd: REPO_ROOT, overrideConfig: [{ ...tseslint.configs.disableTypeChecked, files: ['**/*.ts'] }] });
  });

  /** The layer rules a snippet breaks, as if it were the file at `file` (relative to the repository). */
  async function broken(file: string, code: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath: path.join(REPO_ROOT, file) });
    const fatal = result.messages.filter((m) => m.fatal);
    assert.deepStrictEqual(fatal, [], `${file} did not parse`);
    return [...new Set(result.messages.map((m) => m.ruleId ?? '').filter((r) => LAYER_RULES.includes(r)))];
  }

  const cases: { file: string; code: string; rule?: string }[] = [
    // VS Code's API only in src/vscode/.
    { file: 'src/core/lab/anything.ts', code: "import * as vscode from 'vscode';\nexport const a = vscode;", rule: '@typescript-eslint/no-restricted-imports' },
    { file: 'src/core/anything.ts', code: "import type { Uri } from 'vscode';\nexport type A = Uri;", rule: '@typescript-eslint/no-restricted-imports' },
    { file: 'src/child/anything.ts', code: "export const a: unknown = require('vscode');", rule: 'no-restricted-syntax' },
    { file: 'src/cli/anything.ts', code: "export const a = import('vscode');", rule: 'no-restricted-syntax' },
    {
      file: 'media/dashboard/anything.ts',
      code: "import * as vscode from 'vscode';\nexport const a = vscode;",
      rule: '@typescript-eslint/no-restricted-imports',
    },
    { file: 'src/vscode/anything.ts', code: "import * as vscode from 'vscode';\nexport const a = vscode;" },
    // Nothing imports the extension's folder.
    { ...importing('src/core/run/anything.ts', 'src/vscode'), rule: 'import-x/no-restricted-paths' },
    { ...importing('src/cli/anything.ts', 'src/vscode'), rule: 'import-x/no-restricted-paths' },
    { ...importing('media/dashboard/anything.ts', 'src/vscode'), rule: 'import-x/no-restricted-paths' },
    { ...importing('src/child/anything.ts', 'src/cli'), rule: 'import-x/no-restricted-paths' },
    { ...importing('src/core/anything.ts', 'src/child'), rule: 'import-x/no-restricted-paths' },
    { ...importing('src/core/anything.ts', 'src/cli'), rule: 'import-x/no-restricted-paths' },
    { ...importing('src/vscode/anything.ts', 'src/cli'), rule: 'import-x/no-restricted-paths' },
    { ...importing('src/cli/anything.ts', 'src/child'), rule: 'import-x/no-restricted-paths' },
    { ...importing('src/cli/anything.ts', 'src/core') },
    { ...importing('src/child/evaluator/anything.ts', 'src/core') },
    // The learner's process and the evaluator meet only in src/child/common/.
    { ...importing('src/child/learner/anything.ts', 'src/child/evaluator'), rule: 'import-x/no-restricted-paths' },
    { ...importing('src/child/evaluator/kinds/anything.ts', 'src/child/learner'), rule: 'import-x/no-restricted-paths' },
    { ...importing('src/child/learner/anything.ts', 'src/child/common') },
    { ...importing('src/child/evaluator/anything.ts', 'src/child/common') },
    // TensorFlow.js loads only in the child processes; its types and its version are fine anywhere.
    { file: 'src/core/anything.ts', code: "import * as tf from '@tensorflow/tfjs';\nexport const a = tf;", rule: '@typescript-eslint/no-restricted-imports' },
    { file: 'src/vscode/anything.ts', code: "export const a = import('@tensorflow/tfjs-node');", rule: 'no-restricted-syntax' },
    { file: 'src/core/anything.ts', code: "import type * as tf from '@tensorflow/tfjs';\nexport type A = typeof tf;" },
    { file: 'src/core/anything.ts', code: "import { version } from '@tensorflow/tfjs/package.json';\nexport const a = version;" },
    { file: 'src/child/anything.ts', code: "import * as tf from '@tensorflow/tfjs';\nexport const a = tf;" },
    // BullMQ and ioredis only in src/core/queue/, which the rest loads with import().
    { file: 'src/core/tuner/anything.ts', code: "import { Queue } from 'bullmq';\nexport const a = Queue;", rule: '@typescript-eslint/no-restricted-imports' },
    { file: 'src/cli/anything.ts', code: "export const a: unknown = require('ioredis');", rule: 'no-restricted-syntax' },
    { file: 'src/core/queue/anything.ts', code: "import { Queue } from 'bullmq';\nexport const a = Queue;" },
    {
      file: 'src/core/tuner/anything.ts',
      code: "import { openQueueStudy } from '../queue';\nexport const a = openQueueStudy;",
      rule: '@typescript-eslint/no-restricted-imports',
    },
    {
      file: 'src/vscode/anything.ts',
      code: "import { openQueueStudy } from '../core/queue';\nexport const a = openQueueStudy;",
      rule: '@typescript-eslint/no-restricted-imports',
    },
    { file: 'src/vscode/anything.ts', code: "export const load = () => import('../core/queue');" },
    { file: 'src/cli/anything.ts', code: "import type { QueueKey } from '../core/queue';\nexport type A = QueueKey;" },
    // The webviews take protocols, view models and pure modules from src/core/, and nothing of Node.
    { ...importing('media/dashboard/anything.ts', 'src/core', (f) => /dashboard/i.test(f) && /protocol/i.test(f)) },
    { ...importing('media/playground/anything.ts', 'src/core', (f) => /playground/i.test(f) && /protocol/i.test(f)) },
    // A module that needs Node (a host that forks, a store on disk) is not for a page.
    { ...importing('media/dashboard/anything.ts', 'src/core', usesNode), rule: 'import-x/no-restricted-paths' },
    { ...importing('media/playground/anything.ts', 'src/core', (f, t) => /playground/i.test(f) && usesNode(f, t)), rule: 'import-x/no-restricted-paths' },
    { file: 'media/playground/anything.ts', code: "import * as fs from 'fs';\nexport const a = fs;", rule: 'import-x/no-nodejs-modules' },
  ];

  for (const c of cases) {
    const first = c.code.split('\n')[0];
    it(`${c.rule ? 'refuses' : 'allows'} ${first} in ${c.file}`, async () => {
      assert.deepStrictEqual(await broken(c.file, c.code), c.rule ? [c.rule] : []);
    });
  }
});
