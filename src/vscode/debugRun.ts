// Debugging a lab: the learner's process starts paused under Node's inspector, VS Code's JavaScript
// debugger attaches to it, and the breakpoints set in the learner's TypeScript bind through the
// source map the compiled bundle carries inline. The run is graded as any other; ending the debug
// session stops the run. The inspector listens on 127.0.0.1 only, on a port free at the time.
import * as net from 'net';
import * as path from 'path';
import * as vscode from 'vscode';
import type { LabRunResult } from '../core/run/labRun';
import { RunStore } from '../core/run/store';
import type { LabRunner } from './labRunner';

const TEXT = {
  sessionName: (title: string) => vscode.l10n.t('ML Labs: debug {0}', title),
  attaching: (port: number) => vscode.l10n.t('Debugging: the lab runs paused until the debugger attaches (127.0.0.1:{0}).', port),
  notAttached: vscode.l10n.t('The debugger could not attach to the lab; the run was stopped.'),
};

/** Whether a process still listens on the inspector's port (the debuggee is alive). */
function inspectorListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (listening: boolean) => {
      socket.destroy();
      resolve(listening);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The attach configuration for a run of `labDir` whose process listens on `port`. */
export function attachConfiguration(name: string, labDir: string, runDir: string, installRoot: string, port: number): vscode.DebugConfiguration {
  return {
    type: 'node',
    request: 'attach',
    name,
    address: '127.0.0.1',
    port,
    // The process waits at its first line (--inspect-brk) until the breakpoints are set.
    continueOnAttach: true,
    sourceMaps: true,
    // The learner's bundle is loaded and called at once: without this pause on its first line, its
    // breakpoints may bind only after the code they are in has run.
    pauseForSourceMap: true,
    // How long the debugger may hold a script while it reads its source map: only as long as that
    // takes, but on a busy machine (TensorFlow.js loading beside it) 5 s was not always enough, and a
    // breakpoint bound after its code ran is never hit. A slow start is better than a missed stop.
    timeouts: { sourceMapMinPause: 15000, sourceMapCumulativePause: 30000 },
    // This run's compiled bundle only: earlier runs' bundles map the same lines, and a breakpoint
    // bound to one of those would never be hit.
    outFiles: [path.join(runDir, 'build', '*.js')],
    resolveSourceMapLocations: [path.join(labDir, '**'), '!**/node_modules/**'],
    // The runner and Node's internals are not the learner's code: never step into them.
    skipFiles: ['<node_internals>/**', path.join(installRoot, 'dist', '**')],
    autoAttachChildProcesses: false,
  };
}

/**
 * Runs a lab under the debugger. Resolves with the graded result, or undefined when nothing ran
 * (untrusted workspace, already running, the debugger could not attach).
 */
export async function debugLabRun(
  runner: LabRunner,
  labDir: string,
  token: vscode.CancellationToken,
  log: (text: string) => void = () => undefined,
): Promise<LabRunResult | undefined> {
  if (!runner.ensureTrusted()) return undefined;
  const lab = runner.open(labDir);
  if (!lab || runner.isRunning(labDir)) return runner.run(labDir, { token });
  const port = await freePort();
  // run() forks the process before it first awaits: it is listening once this returns.
  const result = runner.run(labDir, { token, debug: { port } });
  const active = runner.activeRun(labDir);
  if (!active) return result;
  const runDir = new RunStore(labDir).runDir(active.runId);
  log(`${TEXT.attaching(port)}\r\n`);
  const name = TEXT.sessionName(lab.manifest.title);
  let session: vscode.DebugSession | undefined;
  const subs = [
    vscode.debug.onDidStartDebugSession((s) => {
      if (s.name === name && s.configuration.port === port) session = s;
    }),
    // Stopping the debugger stops the run (a paused process would otherwise sit until its budget ends).
    // The session also ends when the learner's process is done and exits while the lab still measures
    // its answers: then the inspector is gone, and the run goes on to its grade.
    vscode.debug.onDidTerminateDebugSession((s) => {
      if (s !== session) return;
      void inspectorListening(port).then((listening) => {
        if (listening && runner.isRunning(labDir)) runner.stop(labDir);
      });
    }),
  ];
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(labDir));
  const attached = await vscode.debug.startDebugging(folder, attachConfiguration(name, labDir, runDir, runner.installRoot, port), {
    suppressSaveBeforeStart: true,
  });
  if (!attached) {
    void vscode.window.showErrorMessage(TEXT.notAttached);
    runner.stop(labDir);
  }
  try {
    return await result;
  } finally {
    for (const s of subs) s.dispose();
    // The process has exited; a session still open would only show a stale "running" state.
    if (session) void vscode.debug.stopDebugging(session);
  }
}
