// The options several commands share, and the parsers of their values.
import { Command, InvalidArgumentError, Option } from 'commander';
import { SECRET_ENV } from '../../core/grade/official';
import { BACKEND_CHOICES, type BackendChoice } from '../../core/lab/manifest';
import type { Hyperparameters } from '../../core/run/protocol';
import { REDIS_URL_ENV } from '../queueOptions';

export function parseIntArg(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError('expected a whole number');
  return n;
}

export function parsePositive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number');
  return n;
}

export function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
  return n;
}

function collectSet(value: string, previous: Hyperparameters): Hyperparameters {
  const m = /^([A-Za-z_$][\w$]*)=(.+)$/.exec(value);
  if (!m) throw new InvalidArgumentError('expected name=value, e.g. learningRate=0.05');
  const raw = m[2];
  const num = Number(raw);
  return { ...previous, [m[1]]: raw === 'true' ? true : raw === 'false' ? false : Number.isFinite(num) ? num : raw };
}

export interface RunFlags {
  backend: BackendChoice;
  seed?: number;
  timeBudget?: number;
  memory?: number;
  set: Hyperparameters;
  quiet?: boolean;
}

/** -b, --backend: which TensorFlow.js backend runs the lab's code. */
export function backendOption(description = 'TensorFlow.js backend'): Option {
  return new Option('-b, --backend <name>', description).choices([...BACKEND_CHOICES]).default('auto');
}

export function runOptions(program: Command): Command {
  return program
    .addOption(backendOption())
    .option('--seed <n>', 'seed for weight initialisation and batch order (default: random, recorded in run.json)', parseIntArg)
    .option('--time-budget <seconds>', "stop the run after this many seconds (default: the lab's budget)", parsePositive)
    .option('--memory <mb>', 'memory limit of the runner process in MB (default 2048)', parsePositive)
    .option('--set <name=value>', 'override a hyperparameter (repeatable)', collectSet, {});
}

/** The options of every command that can use the queue. */
export function queueOptions(program: Command): Command {
  return program
    .option(
      '--redis <url>',
      `the queue's Redis, redis://[:password@]host[:port][/db] (default: $${REDIS_URL_ENV}, which keeps the password out of the process list)`,
    )
    .option('--queue <name>', 'the queue within that Redis (several classes or courses can share one)', 'jobs')
    .option('--key-file <file>', `the key that signs workers' results (default: derived from $${SECRET_ENV}); the same on every machine`);
}
