// Activation cost of the extension, the way VS Code counts it (loading the entry + the activate()
// call), measured in Node against a stand-in for the `vscode` API that accepts every call; and the
// size of the extension host bundles. Goals: activation < 30 ms, bundles < 500 KB (production build).
// The implementation bundle, loaded on first use just after activation, is timed apart.
import * as fs from 'fs';
import Module from 'module';
import * as path from 'path';
import { median, printTable, REPO_ROOT } from './util';

/** A stand-in API: every property is a function, constructor and object that returns another. */
function standIn(): unknown {
  const fn = function () {
    return proxy;
  };
  const proxy: unknown = new Proxy(fn, {
    get: (_t, key) => (key === 'then' ? undefined : key === Symbol.toPrimitive ? () => '' : proxy),
    apply: () => proxy,
    construct: () => proxy as object,
    set: () => true,
  });
  return proxy;
}

/** The `vscode` namespaces and classes the extension touches (bundlers copy own properties). */
const API_NAMES = (
  'window workspace commands languages tests extensions env debug Uri Range Position Selection Location Diagnostic DiagnosticSeverity ' +
  'CodeAction CodeActionKind EventEmitter TreeItem TreeItemCollapsibleState ThemeIcon ThemeColor MarkdownString StatusBarAlignment ' +
  'ProgressLocation ViewColumn TestRunProfileKind TestRunRequest TestMessage WorkspaceEdit QuickPickItemKind Disposable CancellationTokenSource'
).split(' ');

function withStandIn<T>(fn: () => T): T {
  const resolve = (Module as unknown as { _resolveFilename: (...a: unknown[]) => string })._resolveFilename;
  const vscode = Object.fromEntries(API_NAMES.map((n) => [n, standIn()]));
  (Module as unknown as { _resolveFilename: (...a: unknown[]) => string })._resolveFilename = function (request: unknown, ...rest: unknown[]) {
    return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest);
  };
  require.cache['vscode'] = { id: 'vscode', filename: 'vscode', loaded: true, exports: vscode } as unknown as NodeModule;
  try {
    return fn();
  } finally {
    (Module as unknown as { _resolveFilename: unknown })._resolveFilename = resolve;
  }
}

function measure(bundle: string): { loadMs: number; activateMs: number } {
  return withStandIn(() => {
    delete require.cache[bundle];
    const t0 = performance.now();
    const ext = require(bundle) as { activate(ctx: unknown): unknown };
    const t1 = performance.now();
    ext.activate({ subscriptions: [], extensionPath: REPO_ROOT, extensionUri: standIn(), globalState: standIn(), workspaceState: standIn() });
    const t2 = performance.now();
    return { loadMs: t1 - t0, activateMs: t2 - t1 };
  });
}

// The extension host has Node's built-in modules loaded already: load them first, so the
// measurement is the extension's own cost.
for (const m of ['fs', 'path', 'os', 'crypto', 'child_process', 'worker_threads', 'util', 'events', 'stream', 'url', 'net']) require(m);

const bundle = path.join(REPO_ROOT, 'dist', 'extension.js');
const mainBundle = path.join(REPO_ROOT, 'dist', 'extensionMain.js');
const kb = (file: string) => `${(fs.statSync(file).size / 1024).toFixed(0)} KB`;
// The first load includes reading the file from disk; VS Code's cold start is closer to it.
const first = measure(bundle);
const warm: { loadMs: number; activateMs: number }[] = [];
for (let i = 0; i < 10; i++) warm.push(measure(bundle));
// activate() defers the implementation with setImmediate, which has not run yet: load it now, cold.
const mainLoadMs = withStandIn(() => timedLoad(mainBundle));
printTable('Extension activation (Node, stand-in vscode API)', [
  ['bundle size: entry', kb(bundle), 'goal < 500 KB (measure after "node esbuild.js --production")'],
  ['bundle size: implementation', kb(mainBundle), 'dist/extensionMain.js, loaded on first use'],
  [
    'first load + activate()',
    `${(first.loadMs + first.activateMs).toFixed(1)} ms`,
    `load ${first.loadMs.toFixed(1)} ms, activate ${first.activateMs.toFixed(1)} ms; goal < 30 ms`,
  ],
  ['warm load + activate() (median of 10)', `${median(warm.map((w) => w.loadMs + w.activateMs)).toFixed(1)} ms`, ''],
  ['first load of the implementation', `${mainLoadMs.toFixed(1)} ms`, 'after activation (first command, view, restore); not activation time'],
]);
process.exit(0);

function timedLoad(file: string): number {
  const t0 = performance.now();
  require(file);
  return performance.now() - t0;
}
