// `mllabs quiz` (the course's knowledge checks) and `mllabs backend` (native TensorFlow on this
// machine): what a learner sets up and does beside the labs.
import type { Command } from 'commander';
import { backendInstallCommand, backendStatusCommand } from '../backend';
import { paths } from '../installRoot';
import { quizCommand, type QuizFlags } from '../quiz';
import { act } from './action';

export function addQuiz(program: Command): void {
  program
    .command('quiz')
    .description('take a knowledge check of the course (without an id: list them with your progress); progress is saved in ~/.mllabs (or $MLLABS_HOME)')
    .argument('[id]', 'quiz id, e.g. art-of-ml')
    .option('--list', 'list the knowledge checks and your progress, then stop')
    .option('--json', 'print JSON: the list, or the result of the quiz (questions then go to stderr)')
    .option('--reset', 'forget the saved progress of the quiz')
    .action(act((id: string | undefined, opts: QuizFlags) => quizCommand(paths.templatesDir, id, opts)));
}

export function addBackend(program: Command): void {
  const backend = program
    .command('backend')
    .description('which TensorFlow.js backends this machine has; "backend install" adds native TensorFlow')
    .option('--json', 'print JSON')
    .action(act((opts: { json?: boolean }) => backendStatusCommand(opts)));
  backend
    .command('install')
    .description(`install native TensorFlow (@tensorflow/tfjs-node) with npm into ~/.mllabs/native (or $MLLABS_HOME/native)`)
    .option('--force', 'reinstall even if it is installed')
    .action(act((opts: { force?: boolean }) => backendInstallCommand(opts)));
}
