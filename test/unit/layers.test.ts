// Keeps the layers pointing one way: only src/vscode may import the VS Code API, only src/child
// may import TensorFlow.js.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT } from '../helpers';

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(p));
    else if (/\.ts$/.test(e.name)) out.push(p);
  }
  return out;
}

const IMPORT = (mod: string) => new RegExp(`(from\\s+|require\\(|import\\()\\s*['"]${mod}['"/]`);

describe('layering', () => {
  const src = path.join(REPO_ROOT, 'src');

  it('imports vscode only in src/vscode', () => {
    const offenders = sources(src).filter((f) => !f.startsWith(path.join(src, 'vscode') + path.sep) && IMPORT('vscode').test(fs.readFileSync(f, 'utf8')));
    assert.deepStrictEqual(offenders.map((f) => path.relative(REPO_ROOT, f)), []);
  });

  it('loads TensorFlow.js only in src/child', () => {
    const offenders = sources(src).filter((f) => {
      if (f.startsWith(path.join(src, 'child') + path.sep)) return false;
      // Types, and the version in its package.json (inlined at build time), load nothing.
      const text = fs
        .readFileSync(f, 'utf8')
        .replace(/import type [^;]+;/g, '')
        .replace(/import \{ version as \w+ \} from '@tensorflow\/tfjs\/package\.json';/g, '');
      return IMPORT('@tensorflow/tfjs[\\w-]*').test(text);
    });
    assert.deepStrictEqual(offenders.map((f) => path.relative(REPO_ROOT, f)), []);
  });

  it('loads BullMQ and ioredis only in src/core/queue, which the rest loads only when a Redis URL is given', () => {
    const queueDir = path.join(src, 'core', 'queue') + path.sep;
    const offenders = sources(src).filter((f) => !f.startsWith(queueDir) && IMPORT('(bullmq|ioredis)').test(fs.readFileSync(f, 'utf8')));
    assert.deepStrictEqual(offenders.map((f) => path.relative(REPO_ROOT, f)), []);
    // A static import of the queue's entry would put BullMQ in the extension's and the CLI's bundles.
    const eager = sources(src).filter((f) => !f.startsWith(queueDir) && /^import (?!type )[^;]*from '(\.\.\/)+core\/queue';/m.test(fs.readFileSync(f, 'utf8')));
    assert.deepStrictEqual(eager.map((f) => path.relative(REPO_ROOT, f)), []);
  });
});
