// `mllabs`: the same jobs as the extension, headless, for learners on a terminal, instructors and CI.
// Exit codes: 0 passed, 1 checks failed, 2 usage error or a run that produced no result.
import { Command } from 'commander';
import { LabFolderError } from '../core/run/labRun';
import { OfficialGradingError } from '../core/grade/official';
import { LabFileError } from '../core/files/labFiles';
import { ScaffoldConflictError } from '../core/lab/scaffold';
import { red } from './render';
import { EXIT_ERROR, EXIT_PASS, lastExitCode, resetExitCode, UsageError } from './commands/action';
import { addCheckCourse, addSchema, addVerify } from './commands/authoring';
import { addGradeClass, addWorker } from './commands/classGrading';
import { addInit, addList } from './commands/labs';
import { addBackend, addQuiz } from './commands/learner';
import { addDemo, addGrade, addRun, addRuns } from './commands/runs';
import { addStudies, addTune } from './commands/studies';

/** The commands in the order `mllabs --help` lists them. */
const COMMANDS: ((program: Command) => void)[] = [
  addList,
  addInit,
  addRun,
  addGrade,
  addRuns,
  addTune,
  addGradeClass,
  addWorker,
  addStudies,
  addVerify,
  addCheckCourse,
  addQuiz,
  addBackend,
  addSchema,
  addDemo,
];

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('mllabs')
    .description('Guided, graded machine-learning labs with TensorFlow.js (Art and Science of Machine Learning).')
    .showHelpAfterError()
    .exitOverride();
  for (const add of COMMANDS) add(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  resetExitCode();
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    const e = err as { code?: string };
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT_PASS;
    if (typeof e.code === 'string' && e.code.startsWith('commander.')) return EXIT_ERROR;
    if (
      err instanceof UsageError ||
      err instanceof LabFolderError ||
      err instanceof ScaffoldConflictError ||
      err instanceof OfficialGradingError ||
      err instanceof LabFileError
    ) {
      process.stderr.write(`${red('error:')} ${(err as Error).message}\n`);
      return EXIT_ERROR;
    }
    process.stderr.write(`${red('error:')} ${(err as Error).stack ?? String(err)}\n`);
    return EXIT_ERROR;
  }
  return lastExitCode();
}

if (require.main === module) {
  void main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
