// What a learner has done with each knowledge check: one small JSON file per user (the CLI's in
// ~/.mllabs, the extension's in its global storage), written atomically.
import * as fs from 'fs';
import * as path from 'path';
import writeFileAtomic from 'write-file-atomic';
import * as z from 'zod/mini';
import { QUIZ_PROGRESS_FILE, type Quiz } from './schema';
import type { QuizGrade } from './grade';
import '../zodMessages';

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

export { mllabsHome } from '../files/home';

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
    return {
      quizzes: {},
      unreadable: true,
      warning: `${this.file} is not a valid progress file; it will be kept beside the new one when progress is next saved`,
    };
  }

  private write(raw: { unreadable: boolean }, quizzes: Record<string, unknown>): void {
    fs.mkdirSync(this.dir, { recursive: true });
    if (raw.unreadable && fs.existsSync(this.file)) {
      fs.renameSync(this.file, `${this.file}.unreadable-${new Date().toISOString().replace(/[:.]/g, '-')}`);
    }
    writeFileAtomic.sync(this.file, JSON.stringify({ formatVersion: 1, quizzes }, null, 2) + '\n');
  }
}
