// `mllabs grade-class` and `mllabs worker`: grading a whole class, here or on queue workers.
import type { Command } from 'commander';
import { gradeClassCommand, type GradeClassFlags } from '../gradeClass';
import { INSTALL_ROOT } from '../installRoot';
import { workerCommand, type WorkerFlags } from '../worker';
import { act } from './action';
import { backendOption, parseCount, parsePositive, queueOptions } from './options';

export function addGradeClass(program: Command): void {
  queueOptions(
    program
      .command('grade-class')
      .description(
        'official grading of a whole class: one folder per learner in <submissions> (e.g. ada/model.ts), on this machine or on queue workers (--redis); writes a gradebook (CSV, JSON, a JUnit file per learner) and skips learners whose files are unchanged since their last grade',
      )
      .argument('<submissions>', 'the folder that holds one folder per learner')
      .requiredOption('--lab <id>', 'the course lab the submissions are for')
      .option('--out <file>', 'the gradebook CSV; the JSON, the journal (.jsonl) and the JUnit folder go beside it (default: ./gradebook-<lab>.csv)')
      .option('--time-budget <seconds>', "stop each learner's run after this many seconds (default: the lab's budget)", parsePositive)
      .addOption(backendOption())
      .option('--memory <mb>', 'memory limit of each runner process in MB (default 2048)', parsePositive)
      .option('--concurrency <n>', 'without --redis: gradings at once (default: the cores)', parseCount)
      .option('--json', 'print a summary as JSON on stdout'),
  ).action(act((dir: string, opts: GradeClassFlags) => gradeClassCommand(INSTALL_ROOT, dir, opts)));
}

export function addWorker(program: Command): void {
  queueOptions(
    program
      .command('worker')
      .description(
        'take class gradings and study trials from the queue and run them on this machine (SIGTERM: finish the running jobs; Ctrl-C or a second signal: put them back in the queue)',
      )
      .option('--concurrency <n>', 'jobs at once (default: the cores)', parseCount)
      .addOption(backendOption('TensorFlow.js backend, unless a job names one'))
      .option('--memory <mb>', 'memory limit of each runner process in MB (default 2048)', parsePositive)
      .option('--lock-seconds <s>', 'a job whose worker stops answering for this long goes back to the queue (default 30)', parsePositive),
  ).action(act((opts: WorkerFlags) => workerCommand(INSTALL_ROOT, opts)));
}
