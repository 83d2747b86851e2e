import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { checkCourse, type CourseCheck } from '../../src/core/lab/courseCheck';
import { REPO_ROOT, tempDir } from '../helpers';

const TEMPLATES = path.join(REPO_ROOT, 'lab-templates');

interface RawManifest {
  id: string;
  files: string[];
  checks: { id: string; at?: { file: string; pattern: string } }[];
  solutions: { reference: string; wrong: { file: string; cause?: string; fails: string[] }[] };
}

const problemsOf = (result: CourseCheck, lab: string) => result.labs.find((l) => l.lab === lab)?.problems ?? [];

describe('course check (static)', () => {
  it('passes on the course as it is', () => {
    const result = checkCourse(TEMPLATES);
    assert.deepStrictEqual(
      result.labs.filter((l) => l.problems.length > 0),
      [],
    );
    assert.deepStrictEqual(result.course, []);
    assert.ok(result.labs.length >= 5, 'every lab was read');
    assert.strictEqual(result.ok, true);
  });

  describe('on a broken copy of the course', () => {
    let result: CourseCheck;
    let labs: string[];
    let copy: string;

    after(() => fs.rmSync(copy, { recursive: true, force: true }));

    before(() => {
      copy = tempDir('mllabs-course-check-');
      const root = path.join(copy, 'lab-templates');
      fs.cpSync(TEMPLATES, root, { recursive: true });
      labs = fs
        .readdirSync(root)
        .filter((d) => fs.existsSync(path.join(root, d, 'lab.json')))
        .sort();
      const at = (lab: string, rel = '') => path.join(root, lab, rel);
      const read = (lab: string) => JSON.parse(fs.readFileSync(at(lab, 'lab.json'), 'utf8')) as RawManifest;
      const write = (lab: string, m: RawManifest) => fs.writeFileSync(at(lab, 'lab.json'), JSON.stringify(m, null, 2));

      // 0: a starter without its TODOs.
      const m0 = read(labs[0]);
      const starter = at(labs[0], m0.files[0]);
      fs.writeFileSync(starter, fs.readFileSync(starter, 'utf8').replace(/\bTODO\b/g, 'done'));
      // 1: a check whose location pattern finds nothing, another whose pattern does not compile.
      const m1 = read(labs[1]);
      const located = m1.checks.filter((c) => c.at);
      assert.ok(located.length >= 2, `${labs[1]} has two checks with a location`);
      located[0].at!.pattern = 'no line of the starter says this';
      located[1].at!.pattern = '(unclosed';
      write(labs[1], m1);
      // 2: a missing solution, a stray file beside the starter and one among the solutions.
      const m2 = read(labs[2]);
      fs.rmSync(at(labs[2], m2.solutions.wrong[0].file));
      fs.writeFileSync(at(labs[2], 'notes.txt'), 'scratch');
      fs.writeFileSync(at(labs[2], 'solutions/old-attempt.ts'), 'export {};');
      // 3: a check id used twice (the manifest itself is refused).
      const m3 = read(labs[3]);
      m3.checks.push({ ...m3.checks[0] });
      write(labs[3], m3);
      // 4: a wrong solution with a cause nothing gives, and one that is the reference unchanged.
      const m4 = read(labs[4]);
      m4.solutions.wrong[0].cause = 'no-such-cause';
      fs.copyFileSync(at(labs[4], m4.solutions.reference), at(labs[4], m4.solutions.wrong[1].file));
      write(labs[4], m4);
      // The course: a lab copied under another folder name, and data no lab uses.
      fs.cpSync(at(labs[5]), path.join(root, 'copied-lab'), { recursive: true });
      fs.mkdirSync(path.join(root, '_data', 'unused-set'));
      result = checkCourse(root);
    });

    it('fails', () => {
      assert.strictEqual(result.ok, false);
    });

    it('finds a starter without TODOs', () => {
      assert.ok(
        problemsOf(result, labs[0]).some((p) => /the starter has no TODO/.test(p)),
        problemsOf(result, labs[0]).join('\n'),
      );
    });

    it('finds a location pattern that matches nothing in the starter, and one that does not compile', () => {
      const problems = problemsOf(result, labs[1]);
      assert.ok(
        problems.some((p) => /at\.pattern \/no line of the starter says this\/ finds nothing in the starter/.test(p)),
        problems.join('\n'),
      );
      assert.ok(
        problems.some((p) => /\/\(unclosed\/ does not compile/.test(p)),
        problems.join('\n'),
      );
    });

    it('finds a referenced file that is missing, and files nothing refers to', () => {
      const problems = problemsOf(result, labs[2]);
      assert.ok(
        problems.some((p) => /solutions\.wrong\[0\]: solutions\/\S+ does not exist/.test(p)),
        problems.join('\n'),
      );
      assert.ok(
        problems.some((p) => /^notes\.txt is referred to by nothing/.test(p)),
        problems.join('\n'),
      );
      assert.ok(
        problems.some((p) => /^solutions\/old-attempt\.ts is referred to by nothing/.test(p)),
        problems.join('\n'),
      );
    });

    it('finds a check id used twice', () => {
      assert.ok(
        problemsOf(result, labs[3]).some((p) => /duplicate check id/.test(p)),
        problemsOf(result, labs[3]).join('\n'),
      );
    });

    it('finds a wrong solution whose cause nothing gives, and one that is the reference', () => {
      const problems = problemsOf(result, labs[4]);
      assert.ok(
        problems.some((p) => /cause "no-such-cause" is no general cause/.test(p)),
        problems.join('\n'),
      );
      assert.ok(
        problems.some((p) => /solutions\.wrong\[1\] .* is the reference solution, unchanged/.test(p)),
        problems.join('\n'),
      );
    });

    it('finds a lab whose id is not its folder, two labs in one place, and data no lab uses', () => {
      assert.ok(
        problemsOf(result, 'copied-lab').some((p) => /must be the folder's name, "copied-lab"/.test(p)),
        problemsOf(result, 'copied-lab').join('\n'),
      );
      assert.ok(
        result.course.some((p) => /lab id ".+" is also used by/.test(p)),
        result.course.join('\n'),
      );
      assert.ok(
        result.course.some((p) => /are both at module \d+, order \d+/.test(p)),
        result.course.join('\n'),
      );
      assert.ok(
        result.course.some((p) => /_data\/unused-set\/ is the data of no lab/.test(p)),
        result.course.join('\n'),
      );
    });

    it('leaves the labs it did not break alone', () => {
      for (const lab of labs.slice(6)) assert.deepStrictEqual(problemsOf(result, lab), [], lab);
    });
  });
});
