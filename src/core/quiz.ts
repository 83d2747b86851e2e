// Knowledge checks: one JSON file per quiz in `lab-templates/_quizzes/<id>.json`, graded here and
// remembered in a small progress file. The command line and the extension share this module: the
// question loop (runQuiz) talks to either through the QuizUi interface.
import * as fs from 'fs';
import * as path from 'path';
import writeFileAtomic from 'write-file-atomic';
import * as z from 'zod/mini';
import type { ManifestProblem } from './lab/catalog';
import { describeIssues } from './lab/manifest';
import './zodLocale';

export const QUIZ_FORMAT_VERSION = 1;
/** Folder of the quizzes inside the lab templates; "_" keeps the lab catalog from reading it. */
export const QUIZZES_DIR = '_quizzes';
export const QUIZ_SCHEMA_FILE = 'quiz.schema.json';
export const QUIZ_PROGRESS_FILE = 'quiz-progress.json';

function described<T extends z.ZodMiniType>(schema: T, description: string): T {
  return schema.check(z.describe(description)) as T;
}

const id = z.string().check(z.regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'use lower-case words joined by "-", e.g. "art-of-ml"'));
const text = () => z.string().check(z.trim(), z.minLength(1));

const QuizOption = z.strictObject({
  id: described(z.string().check(z.regex(/^[a-z0-9-]+$/, 'use lower-case letters, digits or "-"')), 'Stable id of the option, unique in the question (progress files do not store it).'),
  text: described(text(), 'The option as the learner reads it: one short sentence.'),
  correct: z._default(described(z.boolean(), 'Whether choosing this option is part of the right answer.'), false),
  explanation: described(text(), 'Why this option is right or wrong, shown after the answer.'),
});
export type QuizOption = z.infer<typeof QuizOption>;

export const QUESTION_TYPES = ['single', 'multiple'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

const Question = z
  .strictObject({
    id: described(id, 'Stable id of the question, unique in the quiz: progress is saved by it.'),
    type: described(z.enum(QUESTION_TYPES), '"single": exactly one option is right; "multiple": select all that apply (one or more).'),
    context: z.optional(described(text(), 'Set-up shown before the question: a scenario, numbers, a table. May span several lines.')),
    prompt: described(text(), 'The question itself, in one or two sentences.'),
    options: described(z.array(QuizOption).check(z.minLength(2), z.maxLength(8)), 'The choices, shown in this order.'),
    explanation: described(text(), 'What the question teaches: why the right answer is right and why the tempting wrong one is wrong.'),
  })
  .check(
    z.superRefine((q, ctx) => {
      const right = q.options.filter((o) => o.correct).length;
      if (q.type === 'single' && right !== 1) {
        ctx.addIssue({ code: 'custom', input: q.options, path: ['options'], message: `a single-choice question needs exactly one correct option (found ${right})` });
      }
      if (q.type === 'multiple' && right < 1) {
        ctx.addIssue({ code: 'custom', input: q.options, path: ['options'], message: 'a multiple-choice question needs at least one correct option' });
      }
      const seen = new Set<string>();
      q.options.forEach((o, i) => {
        if (seen.has(o.id)) ctx.addIssue({ code: 'custom', input: o.id, path: ['options', i, 'id'], message: `duplicate option id "${o.id}"` });
        seen.add(o.id);
      });
    }),
  );
export type Question = z.infer<typeof Question>;

export const Quiz = z
  .strictObject({
    $schema: z.optional(z.string()),
    formatVersion: z.literal(QUIZ_FORMAT_VERSION),
    id: described(id, 'Id of the quiz; the file is named <id>.json.'),
    title: text(),
    summary: described(text(), 'One line for the list of quizzes.'),
    module: described(z.int().check(z.minimum(1), z.maximum(5)), 'Module of the course the quiz belongs to.'),
    order: z._default(described(z.int().check(z.minimum(0)), 'Position within the module.'), 0),
    labs: described(z.array(id), 'Ids of the labs whose lessons the quiz checks.'),
    questions: z.array(Question).check(z.minLength(1)),
  })
  .check(
    z.superRefine((quiz, ctx) => {
      const seen = new Set<string>();
      quiz.questions.forEach((q, i) => {
        if (seen.has(q.id)) ctx.addIssue({ code: 'custom', input: q.id, path: ['questions', i, 'id'], message: `duplicate question id "${q.id}"` });
        seen.add(q.id);
      });
    }),
  );
export type Quiz = z.infer<typeof Quiz>;

/** The JSON Schema of a quiz file, generated from the zod schema so the two never drift apart. */
export function quizJsonSchemaText(): string {
  const schema = z.toJSONSchema(Quiz, { io: 'input', unrepresentable: 'any', target: 'draft-7' }) as Record<string, unknown>;
  const full = { ...schema, title: 'ML Labs knowledge check (lab-templates/_quizzes/<id>.json)', description: 'A quiz: questions with options, each option with its explanation.' };
  return JSON.stringify(full, null, 2) + '\n';
}

// ---------------------------------------------------------------------------------------------
// Loading

export type QuizResult = { ok: true; quiz: Quiz } | { ok: false; problem: ManifestProblem };

export function parseQuiz(file: string, source: string): QuizResult {
  let raw: unknown;
  try {
    raw = JSON.parse(source);
  } catch (err) {
    return { ok: false, problem: { file, messages: [`not valid JSON: ${(err as Error).message}`] } };
  }
  const parsed = Quiz.safeParse(raw);
  if (!parsed.success) return { ok: false, problem: { file, messages: describeIssues(parsed.error) } };
  const expected = path.basename(file, '.json');
  if (parsed.data.id !== expected) return { ok: false, problem: { file, messages: [`id: "${parsed.data.id}" must match the file name "${expected}.json"`] } };
  return { ok: true, quiz: parsed.data };
}

export interface QuizCatalog {
  quizzes: Quiz[];
  problems: ManifestProblem[];
}

/** Every quiz of `<templatesDir>/_quizzes/`; a broken file is reported (file and field) and skipped. */
export function loadQuizzes(templatesDir: string): QuizCatalog {
  const dir = path.join(templatesDir, QUIZZES_DIR);
  const quizzes: Quiz[] = [];
  const problems: ManifestProblem[] = [];
  if (!fs.existsSync(dir)) return { quizzes, problems };
  for (const name of fs.readdirSync(dir).sort()) {
    if (!name.endsWith('.json') || name.endsWith('.schema.json')) continue;
    const file = path.join(dir, name);
    let source: string;
    try {
      source = fs.readFileSync(file, 'utf8');
    } catch (err) {
      problems.push({ file, messages: [`cannot read: ${(err as Error).message}`] });
      continue;
    }
    const result = parseQuiz(file, source);
    if (result.ok) quizzes.push(result.quiz);
    else problems.push(result.problem);
  }
  quizzes.sort((a, b) => a.module - b.module || a.order - b.order || a.id.localeCompare(b.id));
  return { quizzes, problems };
}

export function findQuiz(catalog: QuizCatalog, quizId: string): Quiz | undefined {
  return catalog.quizzes.find((q) => q.id === quizId);
}

// ---------------------------------------------------------------------------------------------
// Grading (pure)

/** How one option came out: chosen and right, chosen and wrong, right but missed, or rightly left. */
export type OptionVerdict = 'chosen-right' | 'chosen-wrong' | 'missed' | 'left-out';

export interface QuestionResult {
  questionId: string;
  correct: boolean;
  selected: string[];
  options: { id: string; verdict: OptionVerdict }[];
}

/** Option ids chosen per question id; questions left out were not answered. */
export type QuizAnswers = Record<string, readonly string[]>;

export interface QuizGrade {
  quizId: string;
  /** One per answered question, in the quiz's order. */
  results: QuestionResult[];
  correct: number;
  answered: number;
  total: number;
  /** correct / total: an unanswered question counts as not right. */
  score: number;
}

/** All or nothing: a multiple-choice answer is right only when it picks every right option and no other. */
export function gradeQuestion(question: Question, selected: readonly string[]): QuestionResult {
  const chosen = new Set(selected);
  const unknown = [...chosen].filter((s) => !question.options.some((o) => o.id === s));
  if (unknown.length) throw new Error(`question "${question.id}" has no option ${unknown.map((u) => `"${u}"`).join(', ')}`);
  const options = question.options.map((o) => {
    const picked = chosen.has(o.id);
    const verdict: OptionVerdict = picked ? (o.correct ? 'chosen-right' : 'chosen-wrong') : o.correct ? 'missed' : 'left-out';
    return { id: o.id, verdict };
  });
  const correct = options.every((o) => o.verdict === 'chosen-right' || o.verdict === 'left-out');
  return { questionId: question.id, correct, selected: question.options.filter((o) => chosen.has(o.id)).map((o) => o.id), options };
}

export function gradeQuiz(quiz: Quiz, answers: QuizAnswers): QuizGrade {
  const known = new Set(quiz.questions.map((q) => q.id));
  const stray = Object.keys(answers).filter((k) => !known.has(k));
  if (stray.length) throw new Error(`quiz "${quiz.id}" has no question ${stray.map((s) => `"${s}"`).join(', ')}`);
  const results = quiz.questions.filter((q) => answers[q.id] !== undefined).map((q) => gradeQuestion(q, answers[q.id]));
  const correct = results.filter((r) => r.correct).length;
  const total = quiz.questions.length;
  return { quizId: quiz.id, results, correct, answered: results.length, total, score: total ? correct / total : 0 };
}

export function correctOptions(question: Question): QuizOption[] {
  return question.options.filter((o) => o.correct);
}

export function percent(score: number): string {
  return `${Math.round(score * 100)} %`;
}

// ---------------------------------------------------------------------------------------------
// The question loop, shared by the command line and the extension

export interface QuestionPosition {
  index: number;
  total: number;
}

export interface QuizUi {
  /** Shows a question; resolves to the chosen option ids, or undefined when the learner stops. */
  ask(question: Question, at: QuestionPosition): Promise<string[] | undefined>;
  /** Shows whether the answer was right and why; resolves false when the learner stops. */
  explain(question: Question, result: QuestionResult, at: QuestionPosition): Promise<boolean>;
}

export interface QuizAttempt {
  grade: QuizGrade;
  /** Whether every question was answered (false when the learner stopped early). */
  finished: boolean;
}

export async function runQuiz(quiz: Quiz, ui: QuizUi): Promise<QuizAttempt> {
  const answers: Record<string, string[]> = {};
  const total = quiz.questions.length;
  for (const [index, question] of quiz.questions.entries()) {
    const at = { index, total };
    const selected = await ui.ask(question, at);
    if (!selected) return { grade: gradeQuiz(quiz, answers), finished: false };
    answers[question.id] = selected;
    const goOn = await ui.explain(question, gradeQuestion(question, selected), at);
    if (!goOn && index < total - 1) return { grade: gradeQuiz(quiz, answers), finished: false };
  }
  return { grade: gradeQuiz(quiz, answers), finished: true };
}

// ---------------------------------------------------------------------------------------------
// Progress: one small JSON file per user (the CLI's in ~/.mllabs, the extension's in its global storage)

const ProgressEntry = z.object({
  /** Ids of the questions answered right at least once. */
  correct: z.array(z.string()),
  attempts: z.int().check(z.minimum(0)),
  /** Best share of the quiz answered right in one attempt, 0–1. */
  bestScore: z.number().check(z.gte(0), z.lte(1)),
  lastScore: z.optional(z.number().check(z.gte(0), z.lte(1))),
  /** Every question of the quiz has been answered right (in one attempt or over several). */
  completed: z.boolean(),
  updatedAt: z.string(),
  completedAt: z.optional(z.string()),
});
export type QuizProgressEntry = z.infer<typeof ProgressEntry>;

const ProgressFile = z.object({
  formatVersion: z.literal(1),
  quizzes: z.record(z.string(), z.unknown()),
});

export interface QuizStanding {
  /** Questions of the current quiz answered right at least once. */
  correct: number;
  total: number;
  attempts: number;
  bestScore: number;
  completed: boolean;
}

/** Progress measured against the quiz as it is now (questions may have been added since). */
export function quizStanding(quiz: Quiz, entry: QuizProgressEntry | undefined): QuizStanding {
  const total = quiz.questions.length;
  if (!entry) return { correct: 0, total, attempts: 0, bestScore: 0, completed: false };
  const right = new Set(entry.correct);
  const correct = quiz.questions.filter((q) => right.has(q.id)).length;
  return { correct, total, attempts: entry.attempts, bestScore: entry.bestScore, completed: correct === total };
}

/** A new entry after an attempt: pure, so the rules are testable without files. */
export function mergeAttempt(quiz: Quiz, previous: QuizProgressEntry | undefined, grade: QuizGrade, now = new Date()): QuizProgressEntry {
  const correct = new Set(previous?.correct ?? []);
  for (const r of grade.results) if (r.correct) correct.add(r.questionId);
  const completed = quiz.questions.every((q) => correct.has(q.id));
  const stamp = now.toISOString();
  return {
    // Questions are kept in the quiz's order, then any that the quiz no longer has.
    correct: [...quiz.questions.map((q) => q.id).filter((q) => correct.has(q)), ...[...correct].filter((c) => !quiz.questions.some((q) => q.id === c))],
    attempts: (previous?.attempts ?? 0) + (grade.answered > 0 ? 1 : 0),
    bestScore: Math.max(previous?.bestScore ?? 0, grade.score),
    lastScore: grade.answered > 0 ? grade.score : previous?.lastScore,
    completed,
    updatedAt: stamp,
    completedAt: previous?.completedAt ?? (completed ? stamp : undefined),
  };
}

export { mllabsHome } from './files/home';

export interface ProgressRead {
  entries: Record<string, QuizProgressEntry>;
  warnings: string[];
}

/**
 * The learner's progress over all quizzes, in `<dir>/quiz-progress.json`. Every save re-reads the
 * file and changes only one quiz's entry, so the CLI and a window open at the same time lose little;
 * writes are atomic. A file that cannot be read is set aside (never overwritten) before a new one is written.
 */
export class QuizProgressStore {
  readonly file: string;

  constructor(readonly dir: string) {
    this.file = path.join(dir, QUIZ_PROGRESS_FILE);
  }

  read(): ProgressRead {
    const raw = this.readRaw();
    const entries: Record<string, QuizProgressEntry> = {};
    const warnings = raw.warning ? [raw.warning] : [];
    for (const [quizId, value] of Object.entries(raw.quizzes)) {
      const parsed = ProgressEntry.safeParse(value);
      if (parsed.success) entries[quizId] = parsed.data;
      else warnings.push(`${this.file}: the progress of "${quizId}" is not valid and was ignored`);
    }
    return { entries, warnings };
  }

  get(quizId: string): QuizProgressEntry | undefined {
    return this.read().entries[quizId];
  }

  /** Records an attempt (finished or not) and returns the quiz's new entry. */
  record(quiz: Quiz, grade: QuizGrade, now = new Date()): QuizProgressEntry {
    const raw = this.readRaw();
    const previous = ProgressEntry.safeParse(raw.quizzes[quiz.id]);
    const entry = mergeAttempt(quiz, previous.success ? previous.data : undefined, grade, now);
    this.write(raw, { ...raw.quizzes, [quiz.id]: entry });
    return entry;
  }

  /** Forgets one quiz's progress; returns whether there was any. */
  reset(quizId: string): boolean {
    const raw = this.readRaw();
    if (!(quizId in raw.quizzes)) return false;
    const { [quizId]: dropped, ...rest } = raw.quizzes;
    void dropped;
    this.write(raw, rest);
    return true;
  }

  private readRaw(): { quizzes: Record<string, unknown>; unreadable: boolean; warning?: string } {
    let source: string;
    try {
      source = fs.readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { quizzes: {}, unreadable: false };
      return { quizzes: {}, unreadable: true, warning: `${this.file} cannot be read (${(err as Error).message}); progress starts afresh` };
    }
    try {
      const parsed = ProgressFile.safeParse(JSON.parse(source));
      if (parsed.success) return { quizzes: parsed.data.quizzes, unreadable: false };
    } catch {
      // Not JSON: handled as any other unreadable file below.
    }
    return { quizzes: {}, unreadable: true, warning: `${this.file} is not a valid progress file; it will be kept beside the new one when progress is next saved` };
  }

  private write(raw: { unreadable: boolean }, quizzes: Record<string, unknown>): void {
    fs.mkdirSync(this.dir, { recursive: true });
    if (raw.unreadable && fs.existsSync(this.file)) {
      fs.renameSync(this.file, `${this.file}.unreadable-${new Date().toISOString().replace(/[:.]/g, '-')}`);
    }
    writeFileAtomic.sync(this.file, JSON.stringify({ formatVersion: 1, quizzes }, null, 2) + '\n');
  }
}
