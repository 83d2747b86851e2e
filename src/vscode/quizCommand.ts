// "ML Labs: Take Knowledge Check": pick a quiz (with progress), answer each question in a quick
// pick, read why in a modal message, see the score. Progress lives in the extension's global
// storage, so it follows the learner across workspaces.
import * as vscode from 'vscode';
import { COMMAND } from './commands';
import { loadCatalog } from '../core/lab/catalog';
import { installPaths } from '../core/files/paths';
import {
  findQuiz,
  loadQuizzes,
  mergeAttempt,
  percent,
  QuizProgressStore,
  quizStanding,
  runQuiz,
  type Question,
  type QuestionPosition,
  type QuestionResult,
  type Quiz,
  type QuizGrade,
  type QuizProgressEntry,
  type QuizUi,
} from '../core/quiz';
import { EditorQuestionSheet, type QuestionSheet } from './quizSheet';

/** A quick pick shows one line of placeholder and of label: longer text is moved or split. */
const PLACEHOLDER_CHARS = 90;
const LABEL_CHARS = 72;

const TEXT = {
  pickQuiz: vscode.l10n.t('Choose a knowledge check'),
  noQuizzes: vscode.l10n.t('No knowledge checks were found in this installation of ML Labs.'),
  noQuiz: (id: string) => vscode.l10n.t('There is no knowledge check "{0}".', id),
  brokenFiles: (n: number) =>
    n === 1
      ? vscode.l10n.t('1 knowledge check file is broken: see the ML Labs output.')
      : vscode.l10n.t('{0} knowledge check files are broken: see the ML Labs output.', n),
  module: (n: number, title?: string) => (title ? vscode.l10n.t('Module {0}: {1}', n, title) : vscode.l10n.t('Module {0}', n)),
  questions: (n: number) => vscode.l10n.t('{0} questions', n),
  doneBest: (best: string) => vscode.l10n.t('done, best {0}', best),
  rightBest: (correct: number, total: number, best: string) => vscode.l10n.t('{0}/{1} right, best {2}', correct, total, best),
  questionOf: (at: QuestionPosition) => vscode.l10n.t('Question {0} of {1}', at.index + 1, at.total),
  scenario: vscode.l10n.t('Scenario'),
  question: vscode.l10n.t('Question'),
  scenarioBeside: vscode.l10n.t('(the scenario is beside)'),
  seeBeside: vscode.l10n.t('(in full beside)'),
  selectAll: vscode.l10n.t('select all that apply'),
  pickOne: vscode.l10n.t('Choose at least one option (select all that apply).'),
  right: vscode.l10n.t('✔ Right.'),
  notQuite: (letters: string) => vscode.l10n.t('✘ Not quite. The answer: {0}.', letters),
  next: vscode.l10n.t('Next Question'),
  seeScore: vscode.l10n.t('See Score'),
  yourChoice: vscode.l10n.t('(your choice) '),
  score: (quiz: Quiz, grade: QuizGrade, finished: boolean) =>
    finished
      ? vscode.l10n.t('{0}: {1} of {2} right ({3}).', quiz.title, grade.correct, grade.total, percent(grade.score))
      : vscode.l10n.t('{0}: stopped after {1} of {2} questions, {3} right.', quiz.title, grade.answered, grade.total, grade.correct),
  standing: (best: number, correct: number, total: number) => vscode.l10n.t('Best {0}; answered right so far: {1} of {2}.', percent(best), correct, total),
  complete: vscode.l10n.t('Every question of this check answered right.'),
  retake: vscode.l10n.t('Take It Again'),
  another: vscode.l10n.t('Another Check'),
  notSaved: (why: string) => vscode.l10n.t('Your progress could not be saved: {0}', why),
};

const letter = (i: number) => String.fromCharCode(97 + i);

/** Splits long text at a word boundary: the first part as the label, the rest as the detail line. */
function splitForPick(text: string): { label: string; detail?: string } {
  if (text.length <= LABEL_CHARS + 8) return { label: text };
  const cut = text.lastIndexOf(' ', LABEL_CHARS);
  const at = cut > LABEL_CHARS / 2 ? cut : LABEL_CHARS;
  return { label: `${text.slice(0, at)} …`, detail: `… ${text.slice(at).trimStart()}` };
}

function quizIdFrom(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object') {
    const { id, quiz } = arg as { id?: unknown; quiz?: unknown };
    if (typeof quiz === 'string') return quiz;
    if (typeof id === 'string') return id;
  }
  return undefined;
}

async function pickQuiz(templatesDir: string, quizzes: Quiz[], entries: Record<string, QuizProgressEntry>): Promise<Quiz | undefined> {
  const moduleTitles = new Map<number, string>();
  for (const lab of loadCatalog(templatesDir).labs)
    if (!moduleTitles.has(lab.manifest.module.number)) moduleTitles.set(lab.manifest.module.number, lab.manifest.module.title);
  type Item = vscode.QuickPickItem & { quiz?: Quiz };
  const items: Item[] = [];
  let module = 0;
  for (const quiz of quizzes) {
    if (quiz.module !== module) {
      module = quiz.module;
      items.push({ label: TEXT.module(module, moduleTitles.get(module)), kind: vscode.QuickPickItemKind.Separator });
    }
    const s = quizStanding(quiz, entries[quiz.id]);
    const icon = s.completed ? '$(pass-filled)' : s.attempts > 0 ? '$(circle-large-filled)' : '$(circle-large-outline)';
    const progress = s.completed
      ? ` · ${TEXT.doneBest(percent(s.bestScore))}`
      : s.attempts > 0
        ? ` · ${TEXT.rightBest(s.correct, s.total, percent(s.bestScore))}`
        : '';
    items.push({ label: `${icon} ${quiz.title}`, description: `${TEXT.questions(quiz.questions.length)}${progress}`, detail: quiz.summary, quiz });
  }
  const pick = await vscode.window.showQuickPick(items, { placeHolder: TEXT.pickQuiz, matchOnDetail: true, ignoreFocusOut: true });
  return pick?.quiz;
}

/** The question as the sheet beside the quick pick shows it: scenario, question, every option in full. */
export function questionSheetText(quiz: Quiz, question: Question, at: QuestionPosition): string {
  const lines = [`# ${quiz.title} · ${TEXT.questionOf(at)}`, ''];
  if (question.context) lines.push(`**${TEXT.scenario}**`, '', question.context, '');
  lines.push(`**${TEXT.question}**${question.type === 'multiple' ? ` (${TEXT.selectAll})` : ''}`, '', question.prompt, '');
  question.options.forEach((o, i) => lines.push(`${letter(i)}) ${o.text}`, ''));
  return lines.join('\n');
}

/** The VS Code side of the question loop. */
function quickPickUi(quiz: Quiz, sheet: QuestionSheet): QuizUi {
  return {
    async ask(question: Question, at: QuestionPosition): Promise<string[] | undefined> {
      type Item = vscode.QuickPickItem & { optionId: string };
      const items: Item[] = question.options.map((o, i) => {
        const { label, detail } = splitForPick(o.text);
        return { label: `${letter(i)}) ${label}`, detail, optionId: o.id, alwaysShow: true };
      });
      const title = `${quiz.title} · ${TEXT.questionOf(at)}${question.type === 'multiple' ? ` · ${TEXT.selectAll}` : ''}`;
      const prompt = question.prompt.length > PLACEHOLDER_CHARS ? `${question.prompt.slice(0, PLACEHOLDER_CHARS - 1)}… ${TEXT.seeBeside}` : question.prompt;
      const options = { title, placeHolder: question.context ? `${prompt} ${TEXT.scenarioBeside}` : prompt, ignoreFocusOut: true };
      // The scenario and the whole question stay beside the quick pick while the learner chooses
      // (the pick is asked for first, so the sheet never shows without it).
      const showSheet = () => sheet.show(questionSheetText(quiz, question, at));
      if (question.type === 'single') {
        const picking = vscode.window.showQuickPick(items, options);
        await showSheet();
        const pick = await picking;
        return pick ? [pick.optionId] : undefined;
      }
      for (let first = true; ; first = false) {
        const picking = vscode.window.showQuickPick(items, { ...options, canPickMany: true });
        if (first) await showSheet();
        const picks = await picking;
        if (!picks) return undefined;
        if (picks.length) return picks.map((p) => p.optionId);
        void vscode.window.showWarningMessage(TEXT.pickOne);
      }
    },
    async explain(question: Question, result: QuestionResult, at: QuestionPosition): Promise<boolean> {
      const answer = question.options.flatMap((o, i) => (o.correct ? [letter(i)] : [])).join(', ');
      const lines = question.options.map((o, i) => {
        const verdict = result.options[i].verdict;
        const mark = o.correct ? '✔' : verdict === 'chosen-wrong' ? '✘' : '·';
        const yours = verdict === 'chosen-right' || verdict === 'chosen-wrong' ? TEXT.yourChoice : '';
        return `${mark} ${letter(i)}) ${yours}${o.explanation}`;
      });
      const last = at.index === at.total - 1;
      const choice = await vscode.window.showInformationMessage(
        result.correct ? TEXT.right : TEXT.notQuite(answer),
        { modal: true, detail: `${lines.join('\n')}\n\n${question.explanation}` },
        last ? TEXT.seeScore : TEXT.next,
      );
      return choice !== undefined;
    },
  };
}

/**
 * Runs one knowledge check; `arg` is an optional quiz id (a string, or { quiz } / { id }) so lab
 * instructions can link to a check. Returns the grade of the attempt, or undefined if none was made.
 */
export async function takeQuiz(
  installRoot: string,
  storageDir: string,
  arg?: unknown,
  log: (message: string) => void = () => undefined,
  sheetFor: (quiz: Quiz) => QuestionSheet = (quiz) => new EditorQuestionSheet(quiz.title),
): Promise<QuizGrade | undefined> {
  const templatesDir = installPaths(installRoot).templatesDir;
  const catalog = loadQuizzes(templatesDir);
  for (const p of catalog.problems) log(`knowledge check ${p.file}: ${p.messages.join('; ')}`);
  if (catalog.problems.length) void vscode.window.showWarningMessage(TEXT.brokenFiles(catalog.problems.length));
  if (catalog.quizzes.length === 0) return void vscode.window.showErrorMessage(TEXT.noQuizzes);

  const store = new QuizProgressStore(storageDir);
  const read = store.read();
  for (const w of read.warnings) log(w);

  const wanted = quizIdFrom(arg);
  const quiz = wanted ? findQuiz(catalog, wanted) : await pickQuiz(templatesDir, catalog.quizzes, read.entries);
  if (!quiz) {
    if (wanted) void vscode.window.showErrorMessage(TEXT.noQuiz(wanted));
    return undefined;
  }

  const sheet = sheetFor(quiz);
  let attempt: Awaited<ReturnType<typeof runQuiz>>;
  try {
    attempt = await runQuiz(quiz, quickPickUi(quiz, sheet));
  } finally {
    await sheet.close();
  }
  const { grade, finished } = attempt;
  if (grade.answered === 0) return undefined;
  let entry: QuizProgressEntry | undefined;
  try {
    entry = store.record(quiz, grade);
  } catch (err) {
    // The answers were given; losing the save is worth a message, not a failed command.
    log(`could not save knowledge check progress to ${store.file}: ${(err as Error).message}`);
    void vscode.window.showWarningMessage(TEXT.notSaved((err as Error).message));
    entry = mergeAttempt(quiz, read.entries[quiz.id], grade);
  }
  const s = quizStanding(quiz, entry);
  const message = `${TEXT.score(quiz, grade, finished)} ${s.completed ? TEXT.complete : TEXT.standing(s.bestScore, s.correct, s.total)}`;
  // Not awaited: the command returns the grade while the message stays on screen.
  void vscode.window.showInformationMessage(message, TEXT.retake, TEXT.another).then((choice) => {
    if (choice === TEXT.retake) void vscode.commands.executeCommand(COMMAND.takeQuiz, quiz.id);
    if (choice === TEXT.another) void vscode.commands.executeCommand(COMMAND.takeQuiz);
  });
  return grade;
}
