// The commands for lab authors: `mllabs verify` (runs every solution), `check-course` (runs
// nothing) and `schema` (the JSON Schema of lab.json).
import * as fs from 'fs';
import * as path from 'path';
import type { Command } from 'commander';
import { installPaths } from '../../core/files/paths';
import type { BackendChoice } from '../../core/lab/manifest';
import { labJsonSchemaText } from '../../core/lab/schemaJson';
import { cliNativeDir } from '../backend';
import { checkCourseCommand } from '../checkCourse';
import { INSTALL_ROOT, paths } from '../installRoot';
import { verifyLabs } from '../verify';
import { act, EXIT_FAIL, EXIT_PASS } from './action';
import { backendOption, parseIntArg } from './options';

export function addVerify(program: Command): void {
  program
    .command('verify')
    .description('course check for lab authors: the starter fails, the reference passes, each wrong solution fails as expected')
    .argument('[labs...]', 'lab ids (default: all)')
    .addOption(backendOption())
    .option('--seeds <n>', "run every solution with this many seeds and print the spread of the reference's outputs (for calibrating bars)", parseIntArg, 1)
    .option('--splits', 'give each seed its own held-out rows, as official grading with a secret does')
    .option('--jobs <n>', 'runs at once', parseIntArg, 1)
    .action(
      act(async (ids: string[], opts: { backend: BackendChoice; seeds: number; splits?: boolean; jobs: number }) => {
        const ok = await verifyLabs(INSTALL_ROOT, ids, { ...opts, nativeDir: cliNativeDir() }, (line) => process.stdout.write(line + '\n'));
        return ok ? EXIT_PASS : EXIT_FAIL;
      }),
    );
}

export function addCheckCourse(program: Command): void {
  program
    .command('check-course')
    .description(
      'static course check for lab authors, running nothing: files exist, starters have their TODOs, check patterns find their lines, ids unique, no stray files',
    )
    .argument('[dir]', 'the course folder (default: the lab templates of this ML Labs)')
    .action(
      act((dir: string | undefined) =>
        checkCourseCommand(dir ? path.resolve(dir) : installPaths(INSTALL_ROOT).templatesDir, (line) => process.stdout.write(line + '\n'))
          ? EXIT_PASS
          : EXIT_FAIL,
      ),
    );
}

export function addSchema(program: Command): void {
  program
    .command('schema')
    .description('print the JSON Schema of lab.json (for lab authors)')
    .option('--write', `write it to the lab templates folder (${path.relative(INSTALL_ROOT, paths.schemaFile)})`)
    .action(
      act((opts: { write?: boolean }) => {
        const text = labJsonSchemaText();
        if (opts.write) fs.writeFileSync(paths.schemaFile, text);
        else process.stdout.write(text);
        return EXIT_PASS;
      }),
    );
}
