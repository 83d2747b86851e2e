// Knowledge checks: one JSON file per quiz in `lab-templates/_quizzes/<id>.json`, its schema (a JSON
// Schema is generated from it for quiz authors) and loading, with a broken file reported and skipped.
import * as fs from 'fs';
import * as path from 'path';
import * as z from 'zod/mini';
import type { ManifestProblem } from '../lab/catalog';
import { describeIssues } from '../zodMessages';
import '../zodMessages';
import { dashedId, described } from '../schemaParts';

export const QUIZ_FORMAT_VERSION = 1;
/** Folder of the quizzes inside the lab templates; "_" keeps the lab catalog from reading it. */
export const QUIZZES_DIR = '_quizzes';
export const QUIZ_SCHEMA_FILE = 'quiz.schema.json';
export const QUIZ_PROGRESS_FILE = 'quiz-progress.json';

const id = dashedId('art-of-ml');
const text = () => z.string().check(z.trim(), z.minLength(1));

const QuizOption = z.strictObject({
  id: described(
    z.string().check(z.regex(/^[a-z0-9-]+$/, 'use lower-case letters, digits or "-"')),
    'Stable id of the option, unique in the question (progress files do not store it).',
  ),
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
        ctx.addIssue({
          code: 'custom',
          input: q.options,
          path: ['options'],
          message: `a single-choice question needs exactly one correct option (found ${right})`,
        });
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
  const full = {
    ...schema,
    title: 'ML Labs knowledge check (lab-templates/_quizzes/<id>.json)',
    description: 'A quiz: questions with options, each option with its explanation.',
  };
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
