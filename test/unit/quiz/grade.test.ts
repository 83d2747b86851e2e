import * as assert from 'assert';
import { gradeQuestion, gradeQuiz, runQuiz, type Question, type QuizUi } from '../../../src/core/quiz';
import { sampleQuiz } from './fixtures';

describe('grading a quiz', () => {
  const quiz = sampleQuiz();
  const [single, multiple] = quiz.questions;

  it('grades a single-choice answer and says how each option came out', () => {
    const right = gradeQuestion(single, ['b']);
    assert.strictEqual(right.correct, true);
    assert.deepStrictEqual(
      right.options.map((o) => o.verdict),
      ['left-out', 'chosen-right', 'left-out'],
    );
    const wrong = gradeQuestion(single, ['c']);
    assert.strictEqual(wrong.correct, false);
    assert.deepStrictEqual(
      wrong.options.map((o) => o.verdict),
      ['left-out', 'missed', 'chosen-wrong'],
    );
  });

  it('grades a multiple-choice answer all or nothing', () => {
    assert.strictEqual(gradeQuestion(multiple, ['c', 'a']).correct, true);
    assert.strictEqual(gradeQuestion(multiple, ['a']).correct, false, 'a right option missed');
    assert.strictEqual(gradeQuestion(multiple, ['a', 'b', 'c']).correct, false, 'a wrong option chosen');
    assert.strictEqual(gradeQuestion(multiple, []).correct, false);
    assert.deepStrictEqual(gradeQuestion(multiple, ['c', 'a', 'a']).selected, ['a', 'c'], 'in the order of the options, once each');
  });

  it('refuses options and questions the quiz does not have', () => {
    assert.throws(() => gradeQuestion(single, ['z']), /no option "z"/);
    assert.throws(() => gradeQuiz(quiz, { nope: ['a'] }), /no question "nope"/);
  });

  it('scores over every question: an unanswered one counts as not right', () => {
    const all = gradeQuiz(quiz, { one: ['b'], many: ['a', 'c'] });
    assert.deepStrictEqual([all.correct, all.answered, all.total, all.score], [2, 2, 2, 1]);
    const half = gradeQuiz(quiz, { one: ['b'] });
    assert.deepStrictEqual([half.correct, half.answered, half.total, half.score], [1, 1, 2, 0.5]);
    assert.deepStrictEqual(
      half.results.map((r) => r.questionId),
      ['one'],
    );
    const none = gradeQuiz(quiz, {});
    assert.deepStrictEqual([none.correct, none.answered, none.score], [0, 0, 0]);
  });
});

describe('the question loop', () => {
  const quiz = sampleQuiz();

  function scriptedUi(answers: (string[] | undefined)[], goOn: boolean[] = []): QuizUi & { explained: string[] } {
    const explained: string[] = [];
    return {
      explained,
      ask: async (_q: Question, at) => answers[at.index],
      explain: async (q, result, at) => {
        explained.push(`${q.id}:${result.correct}`);
        return goOn[at.index] ?? true;
      },
    };
  }

  it('asks every question, explains each answer, and grades the whole', async () => {
    const ui = scriptedUi([['b'], ['a']]);
    const attempt = await runQuiz(quiz, ui);
    assert.strictEqual(attempt.finished, true);
    assert.deepStrictEqual(ui.explained, ['one:true', 'many:false']);
    assert.deepStrictEqual([attempt.grade.correct, attempt.grade.answered], [1, 2]);
  });

  it('stops when the learner stops at a question or after an explanation, keeping what was answered', async () => {
    const atQuestion = await runQuiz(quiz, scriptedUi([['b'], undefined]));
    assert.strictEqual(atQuestion.finished, false);
    assert.deepStrictEqual([atQuestion.grade.correct, atQuestion.grade.answered], [1, 1]);
    const afterExplanation = await runQuiz(quiz, scriptedUi([['a'], ['a', 'c']], [false]));
    assert.strictEqual(afterExplanation.finished, false);
    assert.strictEqual(afterExplanation.grade.answered, 1);
    const closedLast = await runQuiz(quiz, scriptedUi([['b'], ['a', 'c']], [true, false]));
    assert.strictEqual(closedLast.finished, true, 'closing the last explanation still finishes the quiz');
  });
});
