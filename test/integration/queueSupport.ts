// Support for the queue's integration tests: a real redis-server on a free port (with a password, as
// the README asks instructors to run it), real worker processes, the CLI as a child process, and a
// class of submissions of the regularization lab (seconds per grading) with a known verdict each.
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

// Not from ../helpers, which needs mocha: the queue benchmark uses this file too.
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures');
const tempDir = (prefix = 'mllabs-test-') => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

export const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
export const SECRET = 'class-grading-secret-for-tests-0123456789';
export const PASSWORD = 'test-password-0f3a9c';

/** redis-server on PATH; in CI its absence is a failure (.ci/run installs it), elsewhere a skip. */
export function redisAvailable(): boolean {
  const found = spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).status === 0;
  if (!found && process.env.CI) throw new Error('redis-server is not installed, and CI must run the queue tests (.ci/run installs it from the OS packages)');
  return found;
}

export function skipWithoutRedis(ctx: Mocha.Context): void {
  if (!redisAvailable()) {
    console.log('    (skipped: redis-server is not installed here — apt-get install redis-server; CI runs these)');
    ctx.skip();
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Lines of a child's output as they come, with a way to wait for one. */
export class Lines {
  readonly all: string[] = [];
  private waiters: { re: RegExp; resolve(line: string): void }[] = [];
  private partial = '';

  constructor(stream: NodeJS.ReadableStream | null) {
    stream?.setEncoding?.('utf8');
    stream?.on('data', (chunk: string) => {
      const parts = (this.partial + chunk).split('\n');
      this.partial = parts.pop() ?? '';
      for (const line of parts) this.push(line);
    });
  }

  private push(line: string): void {
    this.all.push(line);
    this.waiters = this.waiters.filter((w) => {
      if (!w.re.test(line)) return true;
      w.resolve(line);
      return false;
    });
  }

  /** Resolves with the first line (seen or to come) that matches. */
  waitFor(re: RegExp): Promise<string> {
    const seen = this.all.find((l) => re.test(l));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ re, resolve }));
  }

  count(re: RegExp): number {
    return this.all.filter((l) => re.test(l)).length;
  }

  get text(): string {
    return this.all.join('\n') + (this.partial ? `\n${this.partial}` : '');
  }
}

export class Child {
  readonly out: Lines;
  readonly err: Lines;
  readonly exited: Promise<number | null>;

  constructor(readonly process: ChildProcess) {
    this.out = new Lines(process.stdout);
    this.err = new Lines(process.stderr);
    this.exited = new Promise((resolve) => process.once('exit', (code) => resolve(code)));
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    if (this.process.exitCode === null && this.process.signalCode === null) this.process.kill(signal);
  }
}

export function cliEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', MLLABS_GRADING_SECRET: SECRET };
  delete env.MLLABS_REDIS_URL;
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

export function startCli(args: string[], env: NodeJS.ProcessEnv = cliEnv()): Child {
  return new Child(spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] }));
}

export async function runCli(args: string[], env: NodeJS.ProcessEnv = cliEnv()): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = startCli(args, env);
  const code = await child.exited;
  // Let the last chunks of output arrive.
  await new Promise((resolve) => setImmediate(resolve));
  return { code, stdout: child.out.text, stderr: child.err.text };
}

/** A redis-server of the test's own, on a free port, with a password and no persistence. */
export class RedisServer {
  private child: ChildProcess | undefined;
  private readonly dir = tempDir('mllabs-redis-');

  private constructor(readonly port: number) {}

  get url(): string {
    return `redis://:${PASSWORD}@127.0.0.1:${this.port}`;
  }

  static async start(): Promise<RedisServer> {
    const server = new RedisServer(await freePort());
    await server.launch();
    return server;
  }

  private async launch(): Promise<void> {
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--requirepass', PASSWORD, '--save', '', '--appendonly', 'no', '--dir', this.dir],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child = child;
    const lines = new Lines(child.stdout);
    const ready = lines.waitFor(/Ready to accept connections/);
    const died = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${lines.text}`))));
    await Promise.race([ready, died]);
  }

  /** Stops the server; its data is gone (no persistence), as after a crash of an unconfigured Redis. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.launch();
  }
}

/** A worker process on the test's Redis; resolves once it takes jobs. */
export async function startWorker(redis: RedisServer, queue: string, extra: string[] = []): Promise<Child> {
  // The URL both ways an instructor may give it: neither may reach the learner's process.
  const child = startCli(
    ['worker', '--redis', redis.url, '--queue', queue, '--concurrency', '1', '--lock-seconds', '5', '--backend', 'cpu', ...extra],
    cliEnv({ MLLABS_REDIS_URL: redis.url }),
  );
  const ready = child.out.waitFor(/^worker /);
  const failed = child.exited.then((code) => {
    throw new Error(`the worker exited (${code}): ${child.err.text}`);
  });
  await Promise.race([ready, failed]);
  return child;
}

export interface Expected {
  passed: boolean;
  status?: string;
  reason?: RegExp;
}

const LAB = path.join(REPO_ROOT, 'lab-templates', 'regularization');

/**
 * A class of the regularization lab: references, starters, wrong solutions, two learners with the
 * same files, a crash, an endless loop, a forgery, a flood, an empty folder and a link. Each learner's
 * file differs by a comment (as real submissions do), except the twins'.
 */
export function buildClass(options: { small?: boolean } = {}): { dir: string; expected: Map<string, Expected> } {
  const dir = tempDir('mllabs-class-');
  const expected = new Map<string, Expected>();
  const add = (learner: string, source: string, exp: Expected, comment = true) => {
    fs.mkdirSync(path.join(dir, learner));
    fs.writeFileSync(path.join(dir, learner, 'network.ts'), fs.readFileSync(source, 'utf8') + (comment ? `\n// ${learner}\n` : ''));
    expected.set(learner, exp);
  };
  const reference = path.join(LAB, 'solutions', 'reference.ts');
  const n = (count: number, small: number) => (options.small ? small : count);
  for (let i = 1; i <= n(12, 3); i++) add(`ref-${String(i).padStart(2, '0')}`, reference, { passed: true, status: 'completed' });
  for (let i = 1; i <= n(6, 2); i++) add(`starter-${i}`, path.join(LAB, 'network.ts'), { passed: false, status: 'completed' });
  if (options.small) return { dir, expected };
  add('twin-a', reference, { passed: true, status: 'completed' }, false);
  add('twin-b', reference, { passed: true, status: 'completed' }, false);
  // The reason names a check each wrong solution fails on every draw of points (its "fails" in lab.json).
  for (let i = 1; i <= 3; i++) {
    add(`no-reg-${i}`, path.join(LAB, 'solutions', 'wrong-no-regularization.ts'), {
      passed: false,
      status: 'completed',
      reason: /about as good as the best straight line/,
    });
  }
  for (let i = 1; i <= 2; i++) {
    add(`too-strong-${i}`, path.join(LAB, 'solutions', 'wrong-rate-too-high.ts'), {
      passed: false,
      status: 'completed',
      reason: /The network still fits its training points/,
    });
  }
  add('crash', path.join(FIXTURES, 'class', 'crash.ts'), { passed: false, status: 'failed', reason: /not ready yet/ });
  add('loop', path.join(FIXTURES, 'class', 'loop.ts'), { passed: false, status: 'timeout', reason: /time budget/ });
  add('forge', path.join(FIXTURES, 'class', 'forge.ts'), { passed: false, status: 'crashed', reason: /does not understand/ });
  add('flood', path.join(FIXTURES, 'class', 'flood.ts'), { passed: false, status: 'crashed', reason: /flood/ });
  add('spy', path.join(FIXTURES, 'class', 'spy.ts'), { passed: false, status: 'failed', reason: /^saw / });
  fs.mkdirSync(path.join(dir, 'empty'));
  expected.set('empty', { passed: false, status: 'refused', reason: /has no network\.ts/ });
  fs.symlinkSync(path.join(dir, 'ref-01'), path.join(dir, 'link'));
  expected.set('link', { passed: false, status: 'refused', reason: /symbolic link/ });
  return { dir, expected };
}

export interface CsvRow {
  learner: string;
  passed: string;
  checks_passed: string;
  checks_total: string;
  metric: string;
  value: string;
  status: string;
  reason: string;
}

/** Reads the gradebook CSV (the tests' rows have no quoted newlines). */
export function readCsv(file: string): CsvRow[] {
  const [header, ...lines] = fs.readFileSync(file, 'utf8').trim().split('\n');
  const names = header.split(',');
  return lines.map((line) => {
    const cells: string[] = [];
    let cur = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (quoted) {
        if (c === '"' && line[i + 1] === '"') {
          cur += '"';
          i++;
        } else if (c === '"') quoted = false;
        else cur += c;
      } else if (c === '"') quoted = true;
      else if (c === ',') {
        cells.push(cur);
        cur = '';
      } else cur += c;
    }
    cells.push(cur);
    return Object.fromEntries(names.map((n, i) => [n, cells[i] ?? ''])) as unknown as CsvRow;
  });
}

/** The learners of a gradebook journal, one entry per line. */
export function journalLearners(file: string): string[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => (JSON.parse(l) as { learner: string }).learner);
}
