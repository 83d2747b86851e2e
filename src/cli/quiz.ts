// `mllabs quiz`: the course's knowledge checks on a terminal. Questions are read line by line, so
// the same code serves a learner at a keyboard and a script piping answers in.
import * as readline from 'readline';
import { formatProblem, loadCatalog } from '../core/lab/catalog';
import {
  findQuiz,
  loadQuizzes,
  mllabsHome,
  percent,
  QuizProgressStore,
  quizStanding,
  runQuiz,
  type Question,
  type QuestionPosition,
  type QuestionResult,
  type Quiz,
  type QuizAttempt,
  type QuizCatalog,
  type QuizProgressEntry,
  type QuizStanding,
} from '../core/quiz';
import { bold, dim, green, red, yellow } from './render';

const EXIT_PASS = 0;
const EXIT_FAIL = 1;
const EXIT_ERROR = 2;

const WIDTH = 96;
const QUIT_WORDS = new Set(['q', 'quit', 'exit']);

export interface QuizFlags {
  list?: boolean;
  json?: boolean;
  reset?: boolean;
}

export interface QuizIo {
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  /** Where results go: stdout. */
  output: NodeJS.WritableStream & { isTTY?: boolean };
  /** Warnings, and the questions themselves when --json keeps stdout for the result. */
  errors: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

const defaultIo = (): QuizIo => ({ input: process.stdin, output: process.stdout, errors: process.stderr, env: process.env });

/** Lines of input, queued so that answers piped in before a question is shown are not lost. */
class LineReader {
  private readonly lines: string[] = [];
  private waiting?: (line: string | undefined) => void;
  private closed = false;
  private readonly rl: readline.Interface;
  private readonly terminal: boolean;

  constructor(
    input: QuizIo['input'],
    private readonly output: QuizIo['output'],
  ) {
    this.terminal = !!input.isTTY && !!output.isTTY;
    this.rl = readline.createInterface({ input, output, terminal: this.terminal });
    this.rl.on('line', (line) => this.push(line));
    this.rl.on('close', () => {
      this.closed = true;
      this.push(undefined);
    });
    // Ctrl-C at a question stops the quiz the same way "q" does: what was answered is saved.
    this.rl.on('SIGINT', () => this.rl.close());
  }

  private push(line: string | undefined): void {
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve(line);
    } else if (line !== undefined) {
      this.lines.push(line);
    }
  }

  /** Shows the prompt and resolves to the next line, or undefined at the end of the input. */
  async ask(prompt: string): Promise<string | undefined> {
    if (!this.lines.length && this.closed) return undefined;
    this.rl.setPrompt(prompt);
    this.rl.prompt();
    const line = this.lines.length ? this.lines.shift() : await new Promise<string | undefined>((resolve) => (this.waiting = resolve));
    // Without a terminal nothing echoes the answer: write it, so a transcript reads like a dialogue.
    if (!this.terminal) this.output.write(line === undefined ? '\n' : `${line}\n`);
    return line;
  }

  close(): void {
    this.rl.close();
  }
}

function wrap(text: string, indent: string, width = WIDTH): string {
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      if (line && indent.length + line.length + 1 + word.length > width) {
        out.push(indent + line);
        line = word;
      } else {
        line = line ? `${line} ${word}` : word;
      }
    }
    out.push(indent + line);
  }
  return out.join('\n');
}

const letter = (i: number) => String.fromCharCode(97 + i);

/** "a", "a,c", "a c" or "ac" → option indexes; a message when the answer cannot be used. */
export function parseAnswer(raw: string, question: Question): { indexes: number[] } | { error: string } {
  const n = question.options.length;
  const last = letter(n - 1);
  const compact = raw
    .trim()
    .toLowerCase()
    .replace(/[\s,;]+/g, '');
  if (!compact) return { error: question.type === 'single' ? `Type one letter, a–${last}.` : `Type one or more letters, e.g. a,c.` };
  const indexes: number[] = [];
  for (const ch of compact) {
    const i = ch.charCodeAt(0) - 97;
    if (i < 0 || i >= n) return { error: `"${ch}" is not an option: use the letters a–${last}.` };
    if (!indexes.includes(i)) indexes.push(i);
  }
  if (question.type === 'single' && indexes.length !== 1) return { error: `Choose exactly one option, a–${last}.` };
  return { indexes: indexes.sort((x, y) => x - y) };
}

function describeStanding(s: QuizStanding): string {
  if (s.attempts === 0 && s.correct === 0) return dim('not started');
  const tries = `${s.attempts} attempt${s.attempts === 1 ? '' : 's'}`;
  if (s.completed) return `${green('✔ complete')} ${dim(`· best ${percent(s.bestScore)} · ${tries}`)}`;
  return `${s.correct}/${s.total} right ${dim(`· best ${percent(s.bestScore)} · ${tries}`)}`;
}

function moduleTitles(templatesDir: string): Map<number, string> {
  const titles = new Map<number, string>();
  for (const lab of loadCatalog(templatesDir).labs)
    if (!titles.has(lab.manifest.module.number)) titles.set(lab.manifest.module.number, lab.manifest.module.title);
  return titles;
}

function printList(out: QuizIo['output'], templatesDir: string, quizzes: Quiz[], entries: Record<string, QuizProgressEntry>, progressFile: string): void {
  const titles = moduleTitles(templatesDir);
  const idWidth = Math.max(...quizzes.map((q) => q.id.length));
  const titleWidth = Math.max(...quizzes.map((q) => q.title.length));
  out.write(`${bold('Knowledge checks')} ${dim(`(progress: ${progressFile})`)}\n`);
  let module = 0;
  quizzes.forEach((quiz, i) => {
    if (quiz.module !== module) {
      module = quiz.module;
      out.write(`\n${bold(`Module ${module}${titles.has(module) ? `: ${titles.get(module)}` : ''}`)}\n`);
    }
    const standing = quizStanding(quiz, entries[quiz.id]);
    out.write(
      `  ${String(i + 1).padStart(2)}. ${bold(quiz.id.padEnd(idWidth))}  ${quiz.title.padEnd(titleWidth)}  ${dim(`${quiz.questions.length} questions`)}  ${describeStanding(standing)}\n`,
    );
  });
}

/** The terminal side of the question loop. */
function terminalUi(reader: LineReader, out: QuizIo['output']) {
  return {
    async ask(question: Question, at: QuestionPosition): Promise<string[] | undefined> {
      const kind = question.type === 'multiple' ? ' — select all that apply' : '';
      out.write(`\n${bold(`Question ${at.index + 1} of ${at.total}`)}${dim(kind)}\n`);
      if (question.context) out.write(`${wrap(question.context, '  ')}\n\n`);
      out.write(`${wrap(question.prompt, '  ')}\n`);
      question.options.forEach((o, i) => out.write(`${wrap(o.text, `    ${letter(i)}) `).replace(/\n {4}[a-z]\) /g, '\n       ')}\n`));
      const hint = question.type === 'single' ? `a–${letter(question.options.length - 1)}` : 'e.g. a,c';
      for (;;) {
        const line = await reader.ask(`Your answer (${hint}, q to stop): `);
        if (line === undefined) return undefined;
        if (QUIT_WORDS.has(line.trim().toLowerCase())) return undefined;
        const parsed = parseAnswer(line, question);
        if ('error' in parsed) {
          out.write(`${yellow(parsed.error)}\n`);
          continue;
        }
        return parsed.indexes.map((i) => question.options[i].id);
      }
    },
    async explain(question: Question, result: QuestionResult): Promise<boolean> {
      const right = question.options.map((o, i) => (o.correct ? letter(i) : '')).filter(Boolean);
      out.write(result.correct ? `${green('✔ Right.')}\n` : `${red('✘ Not quite.')} The answer: ${bold(right.join(', '))}.\n`);
      question.options.forEach((o, i) => {
        const verdict = result.options[i].verdict;
        const mark = o.correct ? green('✔') : verdict === 'chosen-wrong' ? red('✘') : ' ';
        const yours = verdict === 'chosen-right' || verdict === 'chosen-wrong' ? '(your choice) ' : '';
        out.write(`  ${mark} ${letter(i)}) ${wrap(yours + o.explanation, '       ').trimStart()}\n`);
      });
      out.write(`\n${wrap(question.explanation, '  ')}\n`);
      return true;
    },
  };
}

export async function quizCommand(templatesDir: string, quizId: string | undefined, flags: QuizFlags, io: QuizIo = defaultIo()): Promise<number> {
  const catalog = loadQuizzes(templatesDir);
  for (const p of catalog.problems) io.errors.write(`${red('broken quiz file')} ${formatProblem(p)}\n`);
  const store = new QuizProgressStore(mllabsHome(io.env));
  const read = store.read();
  for (const w of read.warnings) io.errors.write(`${yellow('warning:')} ${w}\n`);

  if (flags.reset) {
    if (!quizId) {
      io.errors.write(`${red('error:')} name the quiz whose progress to forget, e.g. mllabs quiz art-of-ml --reset\n`);
      return EXIT_ERROR;
    }
    const had = store.reset(quizId);
    io.output.write(had ? `Progress of "${quizId}" forgotten.\n` : `No progress saved for "${quizId}".\n`);
    return EXIT_PASS;
  }

  if (catalog.quizzes.length === 0) {
    io.errors.write(`${red('error:')} no knowledge checks found in ${templatesDir}\n`);
    return EXIT_ERROR;
  }

  if (!quizId || flags.list) {
    if (flags.json) {
      const quizzes = catalog.quizzes.map((q) => ({
        id: q.id,
        title: q.title,
        summary: q.summary,
        module: q.module,
        labs: q.labs,
        questions: q.questions.length,
        progress: quizStanding(q, read.entries[q.id]),
      }));
      io.output.write(JSON.stringify({ quizzes, problems: catalog.problems, progressFile: store.file }, null, 2) + '\n');
      return catalog.problems.length ? EXIT_ERROR : EXIT_PASS;
    }
    printList(io.output, templatesDir, catalog.quizzes, read.entries, store.file);
    if (flags.list) return catalog.problems.length ? EXIT_ERROR : EXIT_PASS;
  }

  // With --json the result owns stdout, so the conversation goes to stderr.
  const talk = flags.json ? io.errors : io.output;
  const reader = new LineReader(io.input, talk);
  try {
    const quiz = await chooseQuiz(catalog, quizId, reader, talk, io.errors);
    if (typeof quiz === 'number') return quiz;
    talk.write(`\n${bold(quiz.title)} — ${quiz.questions.length} questions. ${dim(quiz.summary)}\n`);
    const attempt = await runQuiz(quiz, terminalUi(reader, talk));
    return reportAttempt(quiz, attempt, store, flags.json ? io.output : undefined, talk);
  } finally {
    reader.close();
  }
}

/** The quiz named on the command line, or the one the learner picks; an exit code when none is taken. */
async function chooseQuiz(
  catalog: QuizCatalog,
  quizId: string | undefined,
  reader: LineReader,
  talk: QuizIo['output'],
  errors: QuizIo['errors'],
): Promise<Quiz | number> {
  if (quizId) {
    const quiz = findQuiz(catalog, quizId);
    if (!quiz) {
      errors.write(`${red('error:')} no knowledge check "${quizId}". Quizzes: ${catalog.quizzes.map((q) => q.id).join(', ')}\n`);
      return EXIT_ERROR;
    }
    return quiz;
  }
  for (;;) {
    const line = (await reader.ask(`\nWhich one? (number or id, Enter to leave): `))?.trim();
    if (!line) return EXIT_PASS;
    const n = Number(line);
    const quiz = Number.isInteger(n) ? catalog.quizzes[n - 1] : findQuiz(catalog, line);
    if (quiz) return quiz;
    talk.write(`${yellow(`No quiz "${line}".`)}\n`);
  }
}

/** Saves the progress the attempt made and tells it: as JSON on `json` when given, else to the learner. */
function reportAttempt(quiz: Quiz, attempt: QuizAttempt, store: QuizProgressStore, json: QuizIo['output'] | undefined, talk: QuizIo['output']): number {
  const { grade } = attempt;
  const entry = grade.answered > 0 ? store.record(quiz, grade) : store.get(quiz.id);
  const standing = quizStanding(quiz, entry);

  if (json) {
    json.write(JSON.stringify({ quiz: quiz.id, finished: attempt.finished, grade, progress: standing, progressFile: store.file }, null, 2) + '\n');
  } else {
    talk.write('\n');
    if (grade.answered === 0) return EXIT_FAIL;
    if (attempt.finished) talk.write(`${bold(`Score: ${grade.correct} of ${grade.total}`)} (${percent(grade.score)}).`);
    else talk.write(`${bold(`Stopped after ${grade.answered} of ${grade.total} questions`)}: ${grade.correct} right.`);
    talk.write(` Best: ${percent(standing.bestScore)}. Answered right so far: ${standing.correct} of ${standing.total}.\n`);
    if (standing.completed) talk.write(`${green('✔')} Every question of this knowledge check answered right.\n`);
    else if (grade.answered > 0) talk.write(dim(`Progress saved. Run "mllabs quiz ${quiz.id}" again to retry.\n`));
  }
  return attempt.finished && grade.correct === grade.total ? EXIT_PASS : EXIT_FAIL;
}
