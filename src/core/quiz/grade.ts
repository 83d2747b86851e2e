// Grading a knowledge check (pure) and the question loop, shared by the command line and the
// extension: runQuiz talks to either through the QuizUi interface.
import type { Question, Quiz, QuizOption } from './schema';

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
