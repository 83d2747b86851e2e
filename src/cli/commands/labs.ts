// `mllabs list` and `mllabs init`: the labs of the course, and starting one in a folder.
import * as path from 'path';
import type { Command } from 'commander';
import { findLab, formatProblem, loadCatalog, type Lab } from '../../core/lab/catalog';
import { scaffoldLab } from '../../core/lab/scaffold';
import { paths } from '../installRoot';
import { bold, dim, green, red } from '../render';
import { act, EXIT_ERROR, EXIT_PASS, UsageError } from './action';

function describeLab(lab: Lab): string {
  const m = lab.manifest;
  return `${bold(m.id.padEnd(24))} ${dim(`module ${m.module.number}`)}  ${m.title} — ${m.summary}`;
}

export function addList(program: Command): void {
  program
    .command('list')
    .description('list the labs of the course')
    .option('--json', 'print JSON')
    .action(
      act((opts: { json?: boolean }) => {
        const catalog = loadCatalog(paths.templatesDir);
        if (opts.json) {
          process.stdout.write(JSON.stringify({ labs: catalog.labs.map((l) => l.manifest), problems: catalog.problems }, null, 2) + '\n');
        } else {
          let module = 0;
          for (const lab of catalog.labs) {
            if (lab.manifest.module.number !== module) {
              module = lab.manifest.module.number;
              process.stdout.write(`\n${bold(`Module ${module}: ${lab.manifest.module.title}`)}\n`);
            }
            process.stdout.write(`  ${describeLab(lab)}\n`);
          }
          for (const p of catalog.problems) process.stderr.write(`${red('broken lab manifest')} ${formatProblem(p)}\n`);
        }
        return catalog.problems.length ? EXIT_ERROR : EXIT_PASS;
      }),
    );
}

export function addInit(program: Command): void {
  program
    .command('init')
    .description('start a lab: copy its instructions, starter code and data into a folder')
    .argument('<lab>', 'lab id (see "mllabs list")')
    .argument('[dir]', 'folder to create or fill (default: ./<lab>)')
    .option('--keep-existing', 'if some files exist, keep them and add only the missing ones')
    .action(
      act((id: string, dir: string | undefined, opts: { keepExisting?: boolean }) => {
        const catalog = loadCatalog(paths.templatesDir);
        const lab = findLab(catalog, id);
        if (!lab) throw new UsageError(`no lab "${id}". Labs: ${catalog.labs.map((l) => l.manifest.id).join(', ')}`);
        const dest = path.resolve(dir ?? id);
        const result = scaffoldLab(lab, paths.templatesDir, dest, opts.keepExisting ? 'keep-existing' : 'refuse');
        process.stdout.write(
          `${green('✔')} ${lab.manifest.title} is ready in ${dest} (${result.written.length} files${result.kept.length ? `, kept ${result.kept.length} of yours` : ''})\n`,
        );
        process.stdout.write(
          `  read ${path.join(dest, lab.manifest.instructions)}\n  edit ${path.join(dest, lab.manifest.files[0])}\n  then run: mllabs run ${path.relative(process.cwd(), dest) || '.'}\n`,
        );
        return EXIT_PASS;
      }),
    );
}
