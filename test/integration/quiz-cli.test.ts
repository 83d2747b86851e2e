// `mllabs quiz` driven through stdin, as a learner at a terminal or a script would.
import * as assert from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { loadQuizzes, QUIZ_PROGRESS_FILE, type Quiz } from '../../src/core/quiz';
import { REPO_ROOT, tempDir } from '../helpers';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const QUIZZES = loadQuizzes(path.join(REPO_ROOT, 'lab-templates')).quizzes;

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], home: string, input = ''): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, NO_COLOR: '1', MLLABS_HOME: home }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input);
  });
}

const letters = (indexes: number[]) => indexes.map((i) => String.fromCharCode(97 + i)).join(',');
const rightAnswer = (quiz: Quiz, q: number) => letters(quiz.questions[q].options.flatMap((o, i) => (o.correct ? [i] : [])));
const wrongAnswer = (quiz: Quiz, q: number) => letters([quiz.questions[q].options.findIndex((o) => !o.correct)]);

function progressFile(home: string): Record<string, { correct: string[]; attempts: number; bestScore: number; completed: boolean }> {
  return (JSON.parse(fs.readFileSync(path.join(home, QUIZ_PROGRESS_FILE), 'utf8')) as { quizzes: ReturnType<typeof progressFile> }).quizzes;
}

describe('mllabs quiz', function () {
  this.timeout(60_000);
  const quiz = QUIZZES.find((q) => q.id === 'art-of-ml')!;

  it('lists every knowledge check with its progress', async () => {
    const home = tempDir();
    const { code, stdout } = await cli(['quiz', '--list'], home);
    assert.strictEqual(code, 0);
    assert.match(stdout, /Module 1: The Art of ML/);
    for (const q of QUIZZES) assert.match(stdout, new RegExp(`${q.id}\\s+${q.title}\\s+${q.questions.length} questions\\s+not started`));
    assert.ok(!fs.existsSync(path.join(home, QUIZ_PROGRESS_FILE)), 'listing writes nothing');
  });

  it('asks every question, explains, scores, saves progress, and exits 0 when all are right', async () => {
    const home = tempDir();
    const answers = quiz.questions.map((_, i) => rightAnswer(quiz, i));
    const { code, stdout } = await cli(['quiz', 'art-of-ml'], home, answers.join('\n') + '\n');
    assert.strictEqual(code, 0, stdout);
    assert.strictEqual(stdout.match(/✔ Right\./g)?.length, quiz.questions.length);
    const flat = stdout.replace(/\s+/g, ' ');
    assert.ok(flat.includes(quiz.questions[0].explanation), "the question's explanation is shown");
    for (const o of quiz.questions[0].options) assert.ok(flat.includes(o.explanation), "every option's explanation is shown");
    assert.match(stdout, new RegExp(`Score: ${quiz.questions.length} of ${quiz.questions.length} \\(100 %\\)`));
    assert.match(stdout, /Every question of this knowledge check answered right/);
    const saved = progressFile(home)['art-of-ml'];
    assert.deepStrictEqual(
      saved.correct,
      quiz.questions.map((q) => q.id),
    );
    assert.deepStrictEqual([saved.attempts, saved.bestScore, saved.completed], [1, 1, true]);

    const list = await cli(['quiz', '--list', '--json'], home);
    const listed = JSON.parse(list.stdout) as { quizzes: { id: string; progress: { completed: boolean; correct: number } }[] };
    assert.deepStrictEqual(listed.quizzes.find((q) => q.id === 'art-of-ml')!.progress.completed, true);
    assert.deepStrictEqual(listed.quizzes.find((q) => q.id === 'custom-estimator')!.progress.correct, 0);
  });

  it('re-asks on an answer it cannot use, shows the right answer after a wrong one, and saves what was answered when stopped', async () => {
    const home = tempDir();
    const multiple = quiz.questions.findIndex((q) => q.type === 'multiple');
    const input = [
      'z', // not an option
      'a,b', // two letters for a single-choice question
      wrongAnswer(quiz, 0),
      rightAnswer(quiz, 1),
      'q',
    ];
    const { code, stdout } = await cli(['quiz', 'art-of-ml'], home, input.join('\n') + '\n');
    assert.strictEqual(code, 1);
    assert.match(stdout, /"z" is not an option: use the letters a–d\./);
    assert.match(stdout, /Choose exactly one option, a–d\./);
    assert.match(stdout, new RegExp(`✘ Not quite\\. The answer: ${rightAnswer(quiz, 0)}\\.`));
    assert.match(stdout, /\(your choice\)/);
    assert.match(stdout, /Stopped after 2 of 7 questions: 1 right\./);
    assert.ok(multiple > 1, 'the stop came before the multiple-choice question');
    const saved = progressFile(home)['art-of-ml'];
    assert.deepStrictEqual(saved.correct, [quiz.questions[1].id]);
    assert.strictEqual(saved.attempts, 1);
    assert.strictEqual(saved.completed, false);

    // A second attempt adds to what was right before; the input simply ends half-way.
    const second = await cli(['quiz', 'art-of-ml'], home, `${rightAnswer(quiz, 0)}\n`);
    assert.strictEqual(second.code, 1);
    assert.deepStrictEqual(progressFile(home)['art-of-ml'].correct, [quiz.questions[0].id, quiz.questions[1].id]);
    assert.strictEqual(progressFile(home)['art-of-ml'].attempts, 2);
  });

  it('takes several letters for a multiple-choice question, in any form', async () => {
    const home = tempDir();
    const m = quiz.questions.findIndex((q) => q.type === 'multiple');
    const right = rightAnswer(quiz, m).split(',');
    const input = quiz.questions.map((_, i) => (i === m ? right.reverse().join(' ') : rightAnswer(quiz, i)));
    const { code, stdout } = await cli(['quiz', 'art-of-ml'], home, input.join('\n') + '\n');
    assert.strictEqual(code, 0, stdout);
    assert.match(stdout, /select all that apply/);
  });

  it('prints the result as JSON with --json, keeping the questions on stderr', async () => {
    const home = tempDir();
    const answers = quiz.questions.map((_, i) => (i === 0 ? wrongAnswer(quiz, 0) : rightAnswer(quiz, i)));
    const { code, stdout, stderr } = await cli(['quiz', 'art-of-ml', '--json'], home, answers.join('\n') + '\n');
    assert.strictEqual(code, 1);
    const out = JSON.parse(stdout) as {
      quiz: string;
      finished: boolean;
      grade: { correct: number; total: number; results: { correct: boolean }[] };
      progress: { completed: boolean };
    };
    assert.strictEqual(out.quiz, 'art-of-ml');
    assert.strictEqual(out.finished, true);
    assert.deepStrictEqual([out.grade.correct, out.grade.total], [quiz.questions.length - 1, quiz.questions.length]);
    assert.strictEqual(out.grade.results[0].correct, false);
    assert.deepStrictEqual(out.progress.completed, false);
    assert.match(stderr, /Question 1 of 7/);
  });

  it('lets the learner choose a quiz from the list by number', async () => {
    const home = tempDir();
    const index = QUIZZES.findIndex((q) => q.id === 'logistic-regression');
    const { code, stdout } = await cli(['quiz'], home, `${index + 1}\nq\n`);
    assert.strictEqual(code, 1);
    assert.match(stdout, /Which one\? \(number or id, Enter to leave\)/);
    assert.match(stdout, /Logistic regression — 7 questions/);
    const leave = await cli(['quiz'], home, '\n');
    assert.strictEqual(leave.code, 0);
  });

  it('exits 2 for an unknown quiz, and forgets progress on --reset', async () => {
    const home = tempDir();
    const unknown = await cli(['quiz', 'no-such-quiz'], home);
    assert.strictEqual(unknown.code, 2);
    assert.match(unknown.stderr, /no knowledge check "no-such-quiz"\. Quizzes: art-of-ml, /);
    await cli(['quiz', 'art-of-ml'], home, `${rightAnswer(quiz, 0)}\nq\n`);
    assert.ok(progressFile(home)['art-of-ml']);
    const reset = await cli(['quiz', 'art-of-ml', '--reset'], home);
    assert.strictEqual(reset.code, 0);
    assert.match(reset.stdout, /Progress of "art-of-ml" forgotten/);
    assert.strictEqual(progressFile(home)['art-of-ml'], undefined);
  });
});
