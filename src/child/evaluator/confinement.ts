// How the learner's process is started: Node's permission model where the runtime has it (reads
// limited to the runner and the learner's compiled code, no writes, no child processes, no workers,
// no inspector), a memory limit, and an environment with nothing of the user's in it. This is a seat
// belt against accidents and casual cheating, not a sandbox against a determined attacker on their
// own machine: the process can still use the network, and a runtime without the permission model
// runs it unconfined (and says so).
import type { Confinement } from '../../core/run/protocol';

export interface LaunchOptions {
  script: string;
  /** Files and folders the process may read. */
  readable: string[];
  memoryMb: number;
  /** The native backend is a Node addon: loading it needs --allow-addons. */
  addons: boolean;
  /** A debugging session: the inspector is on, which the permission model forbids. */
  debugPort?: number;
}

export interface Launch {
  execPath: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  confinement: Confinement;
}

/** The permission flag this runtime knows, if any (--permission from Node 22.13, before that --experimental-permission). */
export function permissionFlag(flags: ReadonlySet<string> = process.allowedNodeEnvironmentFlags): string | undefined {
  if (flags.has('--permission')) return '--permission';
  if (flags.has('--experimental-permission')) return '--experimental-permission';
  return undefined;
}

/** The environment of the learner's process: nothing of the user's (tokens, paths, NODE_OPTIONS). */
export function minimalEnv(source: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { TF_CPP_MIN_LOG_LEVEL: '2' };
  // VS Code's runtime is Electron: this makes it behave as Node.
  if (process.versions.electron) env.ELECTRON_RUN_AS_NODE = '1';
  // Windows needs these to load system libraries (the native backend's DLLs among them).
  if (process.platform === 'win32') for (const k of ['SystemRoot', 'SYSTEMROOT', 'windir', 'PATH', 'Path']) if (source[k]) env[k] = source[k];
  return env;
}

export function launchArgs(opts: LaunchOptions, flags: ReadonlySet<string> = process.allowedNodeEnvironmentFlags): Launch {
  const args = [`--max-old-space-size=${Math.round(opts.memoryMb)}`];
  let confinement: Confinement;
  const permission = permissionFlag(flags);
  if (opts.debugPort !== undefined) {
    args.push(`--inspect-brk=127.0.0.1:${opts.debugPort}`);
    confinement = { active: false, detail: 'not confined: a debugging session needs the inspector, which the permission model forbids' };
  } else if (!permission) {
    confinement = {
      active: false,
      detail: `not confined: this runtime (Node ${process.versions.node}${process.versions.electron ? `, Electron ${process.versions.electron}` : ''}) has no permission model`,
    };
  } else {
    args.push(permission);
    for (const p of opts.readable) args.push(`--allow-fs-read=${p}`);
    if (opts.addons) args.push('--allow-addons');
    if (flags.has('--disable-warning')) args.push('--disable-warning=ExperimentalWarning');
    confinement = {
      active: true,
      detail: `confined by Node's permission model: it reads only the runner and its compiled code${opts.addons ? ' and the native backend' : ''}; it cannot write files, start processes or threads`,
    };
  }
  return { execPath: process.execPath, args: [...args, opts.script], env: minimalEnv(), confinement };
}
