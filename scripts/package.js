// Builds the extension's packages: one .vsix per platform VS Code publishes for, each carrying the
// esbuild binary of its own platform and nothing for another, plus `mllabs.vsix`, a copy of the one for
// this machine. npm refuses to install another platform's esbuild package, so each comes from the
// registry with `npm pack` (npm's cache makes a second run offline). Nothing runs through a shell.
//   node scripts/package.js                         every target (npm run package)
//   node scripts/package.js --target linux-x64 …    only these
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const tar = require('tar');
const { TARGETS, hostTarget } = require('./targets');

const ROOT = path.resolve(__dirname, '..');
const OUT_DIR = path.join(ROOT, 'vsix');
const HOST_PACKAGE = path.join(ROOT, 'mllabs.vsix');
/** What the package is made of; .vscodeignore then picks within it. */
const SHIPPED = ['package.json', 'README.md', 'LICENSE', '.vscodeignore', 'dist', 'media', 'lab-templates'];

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...options });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${path.basename(cmd)} ${args.join(' ')} exited with ${r.status}`);
  return r;
}

/** npm as `npm run` started it (its JS entry, run by this Node), else `npm` from PATH (not on Windows: npm.cmd needs a shell). */
function npmCommand(args) {
  if (process.env.npm_execpath) return [process.execPath, [process.env.npm_execpath, ...args]];
  if (process.platform === 'win32') throw new Error('run this through npm (npm run package): npm.cmd cannot be started without a shell');
  return ['npm', args];
}

function parseTargets(argv) {
  const wanted = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] !== '--target') throw new Error(`unknown argument ${argv[i]} (expected --target <${Object.keys(TARGETS).join('|')}>)`);
    const t = argv[++i];
    if (!TARGETS[t]) throw new Error(`unknown target "${t}"; targets: ${Object.keys(TARGETS).join(', ')}`);
    wanted.push(t);
  }
  return wanted.length ? wanted : Object.keys(TARGETS);
}

/** Production dependencies and theirs, found in this checkout's node_modules (esbuild is staged apart). */
function runtimeDependencies(manifest) {
  const seen = new Set();
  const visit = (name) => {
    if (seen.has(name) || name === 'esbuild') return;
    const pkgFile = path.join(ROOT, 'node_modules', name, 'package.json');
    if (!fs.existsSync(pkgFile)) throw new Error(`${name} is not installed: run npm ci first`);
    seen.add(name);
    for (const dep of Object.keys(JSON.parse(fs.readFileSync(pkgFile, 'utf8')).dependencies ?? {})) visit(dep);
  };
  for (const name of Object.keys(manifest.dependencies ?? {})) visit(name);
  return [...seen];
}

/** The registry's tarballs of esbuild's JavaScript API and of each binary package needed, by package name. */
function fetchEsbuild(version, targets, dir) {
  const names = ['esbuild', ...new Set(targets.map((t) => TARGETS[t].esbuild))];
  const [cmd, args] = npmCommand(['pack', ...names.map((n) => `${n}@${version}`), '--json', '--pack-destination', dir]);
  const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.error || r.status !== 0)
    throw new Error(`npm pack of esbuild ${version} failed (is the npm registry reachable?): ${r.error?.message ?? `exit ${r.status}`}`);
  const packed = JSON.parse(r.stdout);
  return Object.fromEntries(packed.map((p) => [p.name, path.join(dir, p.filename)]));
}

function extract(tarball, dest) {
  fs.rmSync(dest, { recursive: true, force: true });
  fs.mkdirSync(dest, { recursive: true });
  // npm tarballs hold one folder, package/; modes are kept (the binary stays executable).
  tar.x({ file: tarball, cwd: dest, strip: 1, sync: true });
}

function stage(dir, manifest, esbuildTarball) {
  for (const entry of SHIPPED.filter((e) => e !== 'package.json')) {
    fs.cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true, filter: (src) => !src.endsWith('.map') });
  }
  // The packaged manifest: what VS Code reads. No scripts (vsce would run vscode:prepublish again,
  // here, where the sources are not), no development or optional dependencies.
  const { scripts, devDependencies, optionalDependencies, ...packaged } = manifest;
  (void scripts, devDependencies, optionalDependencies);
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(packaged, null, 2) + '\n');
  for (const name of runtimeDependencies(manifest)) fs.cpSync(path.join(ROOT, 'node_modules', name), path.join(dir, 'node_modules', name), { recursive: true });
  extract(esbuildTarball, path.join(dir, 'node_modules', 'esbuild'));
}

function main() {
  const targets = parseTargets(process.argv.slice(2));
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  // The binary must match the version of esbuild's JavaScript API exactly.
  const esbuildVersion = require('esbuild/package.json').version;
  const vsce = path.join(path.dirname(require.resolve('@vscode/vsce/package.json')), require('@vscode/vsce/package.json').bin.vsce);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mllabs-package-'));
  try {
    run(process.execPath, [path.join(ROOT, 'esbuild.js'), '--production'], { cwd: ROOT });
    const tarballs = fetchEsbuild(esbuildVersion, targets, tmp);
    const dir = path.join(tmp, 'extension');
    stage(dir, manifest, tarballs.esbuild);
    fs.mkdirSync(OUT_DIR, { recursive: true });
    const built = [];
    for (const target of targets) {
      const { esbuild } = TARGETS[target];
      fs.rmSync(path.join(dir, 'node_modules', '@esbuild'), { recursive: true, force: true });
      extract(tarballs[esbuild], path.join(dir, 'node_modules', esbuild));
      const out = path.join(OUT_DIR, `mllabs-${manifest.version}-${target}.vsix`);
      run(process.execPath, [vsce, 'package', '--target', target, '--out', out, '--no-rewrite-relative-links', '--allow-missing-repository'], {
        cwd: dir,
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      built.push({ target, out, bytes: fs.statSync(out).size });
    }
    const host = hostTarget();
    const mine = built.find((b) => b.target === host);
    if (mine) fs.copyFileSync(mine.out, HOST_PACKAGE);
    console.log('\npackage                               size');
    for (const b of built)
      console.log(
        `${path.relative(ROOT, b.out).padEnd(37)} ${(b.bytes / 1e6).toFixed(1)} MB${b === mine ? `  (also ${path.basename(HOST_PACKAGE)}: this machine's)` : ''}`,
      );
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
    // Back to the development build (source maps, unminified) that tests and F5 use.
    run(process.execPath, [path.join(ROOT, 'esbuild.js')], { cwd: ROOT });
  }
}

try {
  main();
} catch (err) {
  console.error(`package: ${err.message}`);
  process.exit(1);
}
