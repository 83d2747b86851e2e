// The packages `npm run package` builds (vsix/mllabs-<version>-<target>.vsix): each carries the
// esbuild binary of its own platform, executable, once, and nothing for another platform; the one for
// this machine, unpacked as VS Code unpacks it, compiles and trains a lab. In CI every target must be
// there; elsewhere the packages present are checked (none: skipped, run `npm run package` first).
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as yauzl from 'yauzl';
import { REPO_ROOT, tempDir } from '../helpers';

const { TARGETS, hostTarget } = require(path.join(REPO_ROOT, 'scripts', 'targets.js')) as {
  TARGETS: Record<string, { esbuild: string; binary: string }>;
  hostTarget: () => string | undefined;
};
const VSIX_DIR = path.join(REPO_ROOT, 'vsix');
const version = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const packageFile = (target: string) => path.join(VSIX_DIR, `mllabs-${version}-${target}.vsix`);

interface ZipEntry {
  name: string;
  size: number;
  mode: number;
}

function openZip(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => yauzl.open(file, { lazyEntries: true }, (err, zip) => (err ? reject(err) : resolve(zip))));
}

/** Every entry of a zip; with `extractTo`, also writes the files there with their modes (as VS Code does). */
async function readZip(file: string, extractTo?: string): Promise<ZipEntry[]> {
  const zip = await openZip(file);
  const entries: ZipEntry[] = [];
  await new Promise<void>((resolve, reject) => {
    zip.on('error', reject);
    zip.on('end', resolve);
    zip.on('entry', (entry: yauzl.Entry) => {
      const mode = (entry.externalFileAttributes >>> 16) & 0o777;
      entries.push({ name: entry.fileName, size: entry.uncompressedSize, mode });
      if (!extractTo || entry.fileName.endsWith('/')) return zip.readEntry();
      const target = path.join(extractTo, entry.fileName);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      zip.openReadStream(entry, (err, stream) => {
        if (err) return reject(err);
        stream
          .pipe(fs.createWriteStream(target, { mode: mode || 0o644 }))
          .on('finish', () => zip.readEntry())
          .on('error', reject);
      });
    });
    zip.readEntry();
  });
  return entries;
}

async function readEntry(file: string, name: string): Promise<string> {
  const zip = await openZip(file);
  return new Promise((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      if (entry.fileName !== name) return zip.readEntry();
      zip.openReadStream(entry, (err, stream) => {
        if (err) return reject(err);
        let text = '';
        stream
          .setEncoding('utf8')
          .on('data', (d: string) => (text += d))
          .on('end', () => {
            zip.close();
            resolve(text);
          });
      });
    });
    zip.on('end', () => reject(new Error(`${name} is not in ${path.basename(file)}`)));
    zip.readEntry();
  });
}

const built = Object.keys(TARGETS).filter((t) => fs.existsSync(packageFile(t)));

describe('packages for every platform', function () {
  this.timeout(120_000);

  before(function () {
    if (process.env.CI) return;
    if (built.length === 0) this.skip();
  });

  it('exist for every platform VS Code publishes for (in CI)', function () {
    if (!process.env.CI) this.skip();
    assert.deepStrictEqual(built, Object.keys(TARGETS), 'npm run package builds every target');
  });

  for (const target of Object.keys(TARGETS)) {
    const { esbuild, binary } = TARGETS[target];
    it(`${target}: declares its platform, carries ${esbuild} once and nothing for another platform`, async function () {
      if (!fs.existsSync(packageFile(target))) this.skip();
      const file = packageFile(target);
      const entries = await readZip(file);
      const names = new Set(entries.map((e) => e.name));
      assert.match(await readEntry(file, 'extension.vsixmanifest'), new RegExp(`TargetPlatform="${target}"`));

      // The platform's esbuild binary, executable where that matters.
      const binaryEntry = entries.find((e) => e.name === `extension/node_modules/${esbuild}/${binary}`);
      assert.ok(binaryEntry, `${esbuild}/${binary} is in the package`);
      assert.ok(binaryEntry.size > 1_000_000, 'the binary is the real thing');
      if (!target.startsWith('win32')) assert.ok(binaryEntry.mode & 0o100, `${binary} is executable (mode ${binaryEntry.mode.toString(8)})`);

      // No other platform's binary package, no second copy, no wasm compiler.
      const binaryPackages = new Set(entries.map((e) => /^extension\/node_modules\/(@esbuild\/[^/]+)\//.exec(e.name)?.[1]).filter(Boolean));
      assert.deepStrictEqual([...binaryPackages], [esbuild]);
      const bigCompilers = entries.filter((e) => /esbuild[^/]*$/i.test(e.name) && e.size > 1_000_000);
      assert.deepStrictEqual(
        bigCompilers.map((e) => e.name),
        [binaryEntry.name],
        'one esbuild binary, no duplicate',
      );
      assert.ok(![...names].some((n) => /esbuild-wasm|esbuild\.wasm/.test(n)), 'no esbuild-wasm');
      assert.ok(
        ![...names].some((n) => n.startsWith('extension/node_modules/@tensorflow/')),
        'TensorFlow.js is bundled; tfjs-node is installed on demand, never shipped',
      );

      // What every package needs to run.
      for (const f of [
        'dist/extension.js',
        'dist/extensionMain.js',
        'dist/evaluator.js',
        'dist/learner.js',
        'dist/cli.js',
        'dist/queue.js',
        'node_modules/esbuild/lib/main.js',
        'node_modules/yaml/package.json',
        'media/icons/mllabs.png',
        'lab-templates/_typescript/tfjs.d.ts',
        'lab-templates/_typescript/tsconfig.json',
        'lab-templates/hand-tuning/model.ts',
      ]) {
        assert.ok(names.has(`extension/${f}`), `${f} is in the package`);
      }
      assert.ok(![...names].some((n) => n.endsWith('.map') || n.includes('/solutions/')), 'no source maps, no solutions');
      const manifest = JSON.parse(await readEntry(file, 'extension/package.json')) as Record<string, unknown>;
      assert.strictEqual(manifest.icon, 'media/icons/mllabs.png');
      assert.strictEqual(manifest.scripts, undefined, 'the packaged manifest has no build scripts');
    });
  }

  it("this machine's package is mllabs.vsix, and unpacked it compiles and trains a lab", async function () {
    const host = hostTarget();
    if (!host || !fs.existsSync(packageFile(host))) this.skip();
    const vsix = path.join(REPO_ROOT, 'mllabs.vsix');
    assert.ok(fs.readFileSync(vsix).equals(fs.readFileSync(packageFile(host))), `mllabs.vsix is the ${host} package`);
    const dir = tempDir('mllabs-unpacked-');
    try {
      await readZip(vsix, dir);
      const cli = (...args: string[]) =>
        spawnSync(process.execPath, [path.join(dir, 'extension', 'dist', 'cli.js'), ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      const lab = path.join(dir, 'lab');
      const init = cli('init', 'hand-tuning', lab);
      assert.strictEqual(init.status, 0, init.stderr);
      for (const f of ['tsconfig.json', '.mllabs/types/tfjs.d.ts', '.mllabs/types/globals.d.ts'])
        assert.ok(fs.existsSync(path.join(lab, f)), `the lab gets ${f}`);
      // Solutions are not packaged: the learner's code comes from the course's reference.
      fs.copyFileSync(path.join(REPO_ROOT, 'lab-templates', 'hand-tuning', 'solutions', 'reference.ts'), path.join(lab, 'model.ts'));
      const r = cli('run', lab, '--backend', 'cpu', '--seed', '1', '--quiet');
      assert.strictEqual(r.status, 0, `a run from the unpacked package: ${r.stderr}${r.stdout}`);
      assert.match(r.stdout, /PASSED/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
