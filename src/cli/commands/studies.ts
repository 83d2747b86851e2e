// `mllabs tune` and `mllabs studies`: hyperparameter studies of a lab folder.
import * as path from 'path';
import type { Command } from 'commander';
import { cliNativeDir } from '../backend';
import { INSTALL_ROOT } from '../installRoot';
import type { QueueFlags } from '../queueOptions';
import { listStudiesCommand, tuneCommand } from '../tune';
import { act } from './action';
import { queueOptions, runOptions, type RunFlags } from './options';
import { openLabOrExplain } from './terminalRun';

export function addTune(program: Command): void {
  queueOptions(
    runOptions(
      program
        .command('tune')
        .description('run a hyperparameter study of the lab (Cloud ML Engine spec: grid, random or Bayesian, parallel trials, early stopping)')
        .argument('[dir]', 'lab folder', '.')
        .option('--spec <file>', 'study spec in YAML or JSON (default: hptuning.yaml in the lab folder)')
        .option('--resume <id>', 'continue an earlier study where it stopped')
        .option('--json', 'print the outcome as JSON on stdout'),
    ),
  ).action(
    act(async (dir: string, opts: RunFlags & QueueFlags & { spec?: string; resume?: string; json?: boolean }) => {
      const lab = openLabOrExplain(dir);
      return tuneCommand(lab, INSTALL_ROOT, {
        spec: opts.spec,
        resume: opts.resume,
        json: opts.json,
        queue: { redis: opts.redis, queue: opts.queue, keyFile: opts.keyFile },
        run: {
          installRoot: INSTALL_ROOT,
          nativeDir: cliNativeDir(),
          backend: opts.backend,
          seed: opts.seed,
          timeBudgetMs: opts.timeBudget !== undefined ? opts.timeBudget * 1000 : undefined,
          memoryMb: opts.memory,
        },
      });
    }),
  );
}

export function addStudies(program: Command): void {
  program
    .command('studies')
    .description('list the hyperparameter studies of a lab folder')
    .argument('[dir]', 'lab folder', '.')
    .option('--json', 'print JSON')
    .action(act((dir: string, opts: { json?: boolean }) => listStudiesCommand(path.resolve(dir), !!opts.json)));
}
