// Runs a course lab with one of its solutions through the real runner, like `attempt`, but keeps
// what `attempt` drops: the per-epoch messages, the runner's log lines, and (until `cleanup`) the
// lab folder with the run's files.
import * as fs from 'fs';
import * as path from 'path';
import type { Lab } from '../../../src/core/lab/catalog';
import type { BackendChoice } from '../../../src/core/lab/manifest';
import { openLab, runLab, type LabRunResult } from '../../../src/core/run/labRun';
import type { Hyperparameters, Metrics } from '../../../src/core/run/protocol';
import { prepareAttempt } from '../../../src/cli/verify';
import { REPO_ROOT } from '../../helpers';

export interface WatchedRun extends LabRunResult {
  dir: string;
  epochs: { epoch: number; metrics: Metrics }[];
  logs: string[];
  cleanup(): void;
}

export async function watchedRun(
  lab: Lab,
  solution: string | undefined,
  opts: { backend?: BackendChoice; seed?: number; hyperparameters?: Hyperparameters } = {},
): Promise<WatchedRun> {
  const dir = prepareAttempt(lab, path.join(REPO_ROOT, 'lab-templates'), solution);
  const epochs: WatchedRun['epochs'] = [];
  const logs: string[] = [];
  const result = await runLab(
    openLab(dir, REPO_ROOT),
    { installRoot: REPO_ROOT, backend: opts.backend ?? 'cpu', seed: opts.seed ?? 1, hyperparameters: opts.hyperparameters },
    {
      onEpoch: (m) => epochs.push({ epoch: m.epoch, metrics: m.metrics }),
      onLog: (_level, message) => logs.push(message),
    },
  ).result;
  return { ...result, dir, epochs, logs, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** 1-based line of the first line of a lab file containing `text`. */
export function lineIn(lab: Lab, file: string, text: string): number {
  const i = fs
    .readFileSync(path.join(lab.dir, file), 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(text));
  if (i < 0) throw new Error(`"${text}" not in ${file}`);
  return i + 1;
}

export const failedChecks = (r: LabRunResult) => r.grade.results.filter((x) => x.status === 'fail');
export const failedIds = (r: LabRunResult) => failedChecks(r).map((x) => x.id);
