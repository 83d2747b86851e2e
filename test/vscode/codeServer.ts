// Starts code-server (a real VS Code served to a browser) and drives it with headless Chromium,
// for machines that cannot download a desktop VS Code. See test/vscode/setup-code-server.sh.
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const REPO = path.resolve(__dirname, '..', '..', '..');
export const CODE_SERVER_ENTRY = path.join(REPO, '.vscode-test', 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export interface CodeServer {
  port: number;
  url: string;
  workspace: string;
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  workspace: string;
  /** Leave Workspace Trust on (the workspace then opens untrusted). */
  trust?: boolean;
  env?: Record<string, string>;
  log?: (line: string) => void;
  /** A packaged extension (.vsix) to install before starting. */
  vsix?: string;
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const port = await freePort();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mllabs-code-server-'));
  const config = path.join(tmp, 'config.yaml');
  fs.writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const userData = path.join(tmp, 'user-data');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  // Quiet, predictable workbench: no welcome page, no telemetry prompts.
  fs.writeFileSync(
    path.join(userData, 'User', 'settings.json'),
    JSON.stringify({
      'workbench.startupEditor': 'none',
      'telemetry.telemetryLevel': 'off',
      'security.workspace.trust.startupPrompt': 'never',
      'extensions.ignoreRecommendations': true,
    }),
  );
  const args = [
    CODE_SERVER_ENTRY,
    '--config',
    config,
    '--disable-telemetry',
    '--disable-update-check',
    '--user-data-dir',
    userData,
    '--extensions-dir',
    path.join(tmp, 'extensions'),
  ];
  if (!options.trust) args.push('--disable-workspace-trust');
  if (options.vsix) {
    // Installs the package the way a user would, into this server's own extensions folder.
    const install = spawnSync(
      process.execPath,
      [CODE_SERVER_ENTRY, '--extensions-dir', path.join(tmp, 'extensions'), '--user-data-dir', userData, '--install-extension', options.vsix],
      { encoding: 'utf8' },
    );
    if (install.status !== 0 || !/successfully installed/.test(install.stdout))
      throw new Error(`installing ${options.vsix} failed: ${install.stdout}${install.stderr}`);
  }
  const proc: ChildProcess = spawn(process.execPath, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
  });
  const log = options.log ?? (() => undefined);
  proc.stdout?.setEncoding('utf8').on('data', (d: string) => log(d.trimEnd()));
  proc.stderr?.setEncoding('utf8').on('data', (d: string) => log(d.trimEnd()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (proc.exitCode !== null) throw new Error(`code-server exited with code ${proc.exitCode}`);
    if (Date.now() > deadline) throw new Error('code-server did not start within 60 s');
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    port,
    url,
    workspace: options.workspace,
    async stop() {
      // Its extension host and file watcher outlive the server process: end the whole group.
      try {
        if (proc.pid) process.kill(-proc.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

export function remoteUri(server: CodeServer, file: string): string {
  return `vscode-remote://127.0.0.1:${server.port}${file}`;
}

export function workbenchUrl(server: CodeServer, payload: [string, string][] = []): string {
  const q = new URLSearchParams({ folder: server.workspace });
  if (payload.length) q.set('payload', JSON.stringify(payload));
  return `${server.url}/?${q.toString()}`;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

export async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  return context.newPage();
}
