// The VS Code command over a scripted stand-in for the editor's quick picks and messages: which
// questions are shown, how answers are read, what is saved. (The real editor is exercised by the
// VS Code suites; this keeps the flow in the fast tier.)
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { QUIZ_PROGRESS_FILE, QuizProgressStore, loadQuizzes } from '../../../src/core/quiz';
import { REPO_ROOT, tempDir } from '../../helpers';

interface PickItem {
  label: string;
  kind?: number;
  detail?: string;
  description?: string;
  optionId?: string;
  quiz?: { id: string };
}
interface PickOptions {
  title?: string;
  placeHolder?: string;
  canPickMany?: boolean;
}

/** What the stand-in editor saw, and the answers it gives. */
class ScriptedEditor {
  readonly picks: { items: PickItem[]; options: PickOptions; sheet: string | undefined }[] = [];
  /** The question sheet beside the quick pick: what it shows now, and whether it was closed. */
  sheetText: string | undefined;
  sheetClosed = false;
  readonly sheet = {
    show: async (text: string) => void (this.sheetText = text),
    close: async () => {
      this.sheetText = undefined;
      this.sheetClosed = true;
    },
  };
  readonly modals: { message: string; detail?: string; buttons: string[] }[] = [];
  readonly notices: string[] = [];
  readonly commands: unknown[][] = [];
  /** Answers to give, in order: a quiz id for the quiz picker, option ids for a question, undefined to stop. */
  answers: (string | string[] | undefined)[] = [];
  /** Stop at the n-th modal (0-based) by closing it. */
  closeModalAt = -1;

  readonly api = {
    QuickPickItemKind: { Separator: -1, Default: 0 },
    window: {
      showQuickPick: async (items: PickItem[], options: PickOptions) => {
        // What the learner sees while choosing: the sheet the command shows right after asking.
        await new Promise((resolve) => setImmediate(resolve));
        this.picks.push({ items, options, sheet: this.sheetText });
        const answer = this.answers.shift();
        if (answer === undefined) return undefined;
        if (typeof answer === 'string') return items.find((i) => i.quiz?.id === answer || i.optionId === answer);
        const chosen = items.filter((i) => i.optionId && answer.includes(i.optionId));
        return options.canPickMany ? chosen : chosen[0];
      },
      showInformationMessage: async (message: string, ...rest: unknown[]) => {
        const first = rest[0];
        if (first && typeof first === 'object' && (first as { modal?: boolean }).modal) {
          const buttons = rest.slice(1) as string[];
          this.modals.push({ message, detail: (first as { detail?: string }).detail, buttons });
          return this.modals.length - 1 === this.closeModalAt ? undefined : buttons[0];
        }
        this.notices.push(message);
        return undefined;
      },
      showWarningMessage: async (message: string) => void this.notices.push(`warning: ${message}`),
      showErrorMessage: async (message: string) => void this.notices.push(`error: ${message}`),
    },
    commands: { executeCommand: async (...args: unknown[]) => void this.commands.push(args) },
  };
}

let editor = new ScriptedEditor();
// The command module imports 'vscode'; hand it the stand-in instead.
const ModuleCtor = require('module') as { _load: (request: string, ...rest: unknown[]) => unknown };
const realLoad = ModuleCtor._load;
/** The module the command sees; it forwards to the editor of the current test. */
const vscodeStandIn = {
  QuickPickItemKind: editor.api.QuickPickItemKind,
  // VS Code's l10n.t with no translation loaded: the English message with {n} filled in.
  l10n: { t: (message: string, ...args: unknown[]) => message.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)])) },
  window: {
    showQuickPick: (...args: Parameters<ScriptedEditor['api']['window']['showQuickPick']>) => editor.api.window.showQuickPick(...args),
    showInformationMessage: (message: string, ...rest: unknown[]) => editor.api.window.showInformationMessage(message, ...rest),
    showWarningMessage: (message: string) => editor.api.window.showWarningMessage(message),
    showErrorMessage: (message: string) => editor.api.window.showErrorMessage(message),
  },
  commands: { executeCommand: (...args: unknown[]) => editor.api.commands.executeCommand(...args) },
};
ModuleCtor._load = function (request: string, ...rest: unknown[]) {
  return request === 'vscode' ? vscodeStandIn : realLoad.call(this, request, ...rest);
};
const { takeQuiz } = require('../../../src/vscode/quizCommand') as typeof import('../../../src/vscode/quizCommand');
ModuleCtor._load = realLoad;
/** The command with the stand-in editor's question sheet. */
const take = (storage: string, arg?: unknown) => takeQuiz(REPO_ROOT, storage, arg, undefined, () => editor.sheet);

describe('Take Knowledge Check (VS Code command)', () => {
  const quiz = loadQuizzes(path.join(REPO_ROOT, 'lab-templates')).quizzes.find((q) => q.id === 'multi-class-neural-networks')!;
  const right = (i: number) => quiz.questions[i].options.filter((o) => o.correct).map((o) => o.id);
  const wrong = (i: number) => [quiz.questions[i].options.find((o) => !o.correct)!.id];

  beforeEach(() => {
    editor = new ScriptedEditor();
  });

  it('offers the quizzes by module with progress, then asks each question in a quick pick and explains it', async () => {
    const storage = tempDir();
    editor.answers = [quiz.id, ...quiz.questions.map((_, i) => (i === 0 ? wrong(0) : right(i)))];
    const grade = await take(storage);
    assert.ok(grade);
    assert.deepStrictEqual([grade.correct, grade.total], [quiz.questions.length - 1, quiz.questions.length]);

    const quizPick = editor.picks[0].items;
    assert.ok(
      quizPick.some((i) => i.kind === -1 && /^Module 4/.test(i.label)),
      'module separators',
    );
    assert.ok(quizPick.some((i) => i.quiz?.id === 'art-of-ml' && i.label.includes('$(circle-large-outline)')));

    const questionPicks = editor.picks.slice(1);
    assert.strictEqual(questionPicks.length, quiz.questions.length);
    quiz.questions.forEach((q, i) => {
      const { options } = questionPicks[i];
      assert.strictEqual(!!options.canPickMany, q.type === 'multiple', `${q.id}: many picks only for multiple choice`);
      assert.ok(options.placeHolder!.startsWith(q.prompt.slice(0, 60)), 'the question leads the quick pick');
      assert.match(options.title!, new RegExp(`Question ${i + 1} of ${quiz.questions.length}`));
    });

    const explanations = editor.modals.filter((m) => /Right|Not quite/.test(m.message));
    assert.strictEqual(explanations.length, quiz.questions.length);
    assert.match(explanations[0].message, /^✘ Not quite\. The answer: [a-h]\.$/);
    assert.ok(explanations[0].detail!.includes(quiz.questions[0].explanation));
    for (const o of quiz.questions[0].options) assert.ok(explanations[0].detail!.includes(o.explanation));
    assert.match(explanations[0].detail!, /✘ [a-h]\) \(your choice\)/);
    assert.strictEqual(explanations[1].message, '✔ Right.');
    assert.deepStrictEqual(explanations.at(-1)!.buttons, ['See Score']);

    // A question's set-up stays in view beside its quick pick while the learner chooses, with every option in full.
    const withContext = quiz.questions.findIndex((q) => q.context);
    const sheet = questionPicks[withContext].sheet!;
    assert.ok(sheet.includes(quiz.questions[withContext].context!), 'the scenario is on the sheet during the pick');
    assert.ok(sheet.includes(quiz.questions[withContext].prompt));
    for (const o of quiz.questions[withContext].options) assert.ok(sheet.includes(o.text));
    assert.match(questionPicks[withContext].options.placeHolder!, /\(the scenario is beside\)$/);
    assert.ok(!editor.modals.some((m) => m.detail?.includes(quiz.questions[withContext].context!)), 'no modal hides it before the pick');
    assert.strictEqual(editor.sheetClosed, true, 'the sheet closes with the quiz');

    assert.match(editor.notices.at(-1)!, new RegExp(`^${quiz.title}: ${quiz.questions.length - 1} of ${quiz.questions.length} right`));
    const saved = new QuizProgressStore(storage).get(quiz.id)!;
    assert.strictEqual(saved.attempts, 1);
    assert.strictEqual(saved.correct.length, quiz.questions.length - 1);
  });

  it('opens a quiz named by its id, and shows progress in the picker next time', async () => {
    const storage = tempDir();
    editor.answers = quiz.questions.map((_, i) => right(i));
    const grade = await take(storage, quiz.id);
    assert.strictEqual(grade?.correct, quiz.questions.length);
    assert.match(editor.notices.at(-1)!, /Every question of this check answered right/);

    editor = new ScriptedEditor();
    editor.answers = [undefined];
    assert.strictEqual(await take(storage), undefined);
    const item = editor.picks[0].items.find((i) => i.quiz?.id === quiz.id)!;
    assert.ok(item.label.includes('$(pass-filled)'));
    assert.match(item.description!, /done, best 100 %/);
  });

  it('saves what was answered when the learner stops half-way', async () => {
    const storage = tempDir();
    editor.answers = [right(0), right(1), undefined];
    const grade = await take(storage, { quiz: quiz.id });
    assert.deepStrictEqual([grade?.answered, grade?.correct], [2, 2]);
    assert.match(editor.notices.at(-1)!, /stopped after 2 of 8 questions, 2 right/);
    assert.deepStrictEqual(new QuizProgressStore(storage).get(quiz.id)!.correct, [quiz.questions[0].id, quiz.questions[1].id]);
  });

  it('stops when the learner closes an explanation', async () => {
    const storage = tempDir();
    editor.answers = quiz.questions.map((_, i) => right(i));
    // The explanation of the first question is the first modal.
    editor.closeModalAt = 0;
    const grade = await take(storage, quiz.id);
    assert.deepStrictEqual([grade?.answered, grade?.correct], [1, 1]);
    assert.strictEqual(editor.picks.length, 1);
    assert.deepStrictEqual(new QuizProgressStore(storage).get(quiz.id)!.correct, [quiz.questions[0].id]);
  });

  it('re-asks a multiple-choice question answered with nothing', async () => {
    const m = quiz.questions.findIndex((q) => q.type === 'multiple');
    editor.answers = [...quiz.questions.slice(0, m).map((_, i) => right(i)), [], right(m), undefined];
    await take(tempDir(), quiz.id);
    assert.ok(editor.notices.includes('warning: Choose at least one option (select all that apply).'));
    assert.strictEqual(editor.picks.length, m + 3);
  });

  it('says so when asked for a quiz that does not exist, and saves nothing', async () => {
    const storage = tempDir();
    assert.strictEqual(await take(storage, 'no-such-quiz'), undefined);
    assert.deepStrictEqual(editor.notices, ['error: There is no knowledge check "no-such-quiz".']);
    assert.ok(!fs.existsSync(path.join(storage, QUIZ_PROGRESS_FILE)));
  });
});
