// `mllabs check-course`: the static course check (src/core/lab/courseCheck.ts), printed one lab a line
// with what is wrong under it. It runs nothing, so it takes a moment; `mllabs verify` runs the labs.
import { checkCourse } from '../core/lab/courseCheck';
import { dim, green, red } from './render';

export function checkCourseCommand(templatesDir: string, print: (line: string) => void): boolean {
  const result = checkCourse(templatesDir);
  for (const lab of result.labs) {
    print(`${lab.problems.length ? red('✘') : green('✔')} ${lab.lab}`);
    for (const p of lab.problems) print(`    ${p}`);
  }
  for (const p of result.course) print(`${red('✘')} ${p}`);
  const failing = result.labs.filter((l) => l.problems.length > 0).length;
  print(
    dim(
      `${result.labs.length} labs in ${templatesDir}: ${failing ? `${failing} with problems` : 'all pass'}${result.course.length ? `; ${result.course.length} course problems` : ''}`,
    ),
  );
  return result.ok;
}
