import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { loadQuizzes, parseQuiz, QUIZZES_DIR } from '../../../src/core/quiz';
import { tempDir } from '../../helpers';
import { quizJson } from './fixtures';

function messagesOf(raw: unknown, file = 'sample.json'): string[] {
  const r = parseQuiz(file, JSON.stringify(raw));
  assert.strictEqual(r.ok, false, 'expected the quiz to be rejected');
  return r.ok ? [] : r.problem.messages;
}

describe('quiz file schema', () => {
  it('accepts a valid quiz and fills in defaults', () => {
    const r = parseQuiz('sample.json', JSON.stringify(quizJson()));
    assert.ok(r.ok);
    assert.strictEqual(r.quiz.order, 0);
    assert.strictEqual(r.quiz.questions[0].options[0].correct, false);
  });

  it('needs exactly one correct option in a single-choice question', () => {
    const q = quizJson();
    const options = (q.questions as { options: { correct?: boolean }[] }[])[0].options;
    options[0].correct = true;
    assert.deepStrictEqual(messagesOf(q), ['questions[0].options: a single-choice question needs exactly one correct option (found 2)']);
    options[0].correct = false;
    options[1].correct = false;
    assert.deepStrictEqual(messagesOf(q), ['questions[0].options: a single-choice question needs exactly one correct option (found 0)']);
  });

  it('needs at least one correct option in a multiple-choice question', () => {
    const q = quizJson();
    for (const o of (q.questions as { options: { correct?: boolean }[] }[])[1].options) o.correct = false;
    assert.deepStrictEqual(messagesOf(q), ['questions[1].options: a multiple-choice question needs at least one correct option']);
  });

  it('names the field of a missing explanation, a duplicate id and an unknown key', () => {
    const q = quizJson();
    const questions = q.questions as Record<string, unknown>[];
    delete (questions[0].options as Record<string, unknown>[])[2].explanation;
    questions[1].id = 'one';
    questions[1].hint = 'not a field';
    const messages = messagesOf(q);
    assert.ok(
      messages.some((m) => m.startsWith('questions[0].options[2].explanation:')),
      messages.join('\n'),
    );
    assert.ok(
      messages.some((m) => m.startsWith('questions[1]') && /hint/.test(m)),
      messages.join('\n'),
    );
    const dup = quizJson();
    (dup.questions as Record<string, unknown>[])[1].id = 'one';
    assert.deepStrictEqual(messagesOf(dup), ['questions[1].id: duplicate question id "one"']);
  });

  it('rejects an empty explanation and a duplicate option id', () => {
    const q = quizJson();
    const options = (q.questions as { options: Record<string, unknown>[] }[])[0].options;
    options[0].explanation = '   ';
    options[2].id = 'b';
    const messages = messagesOf(q);
    assert.ok(
      messages.some((m) => m.startsWith('questions[0].options[0].explanation:')),
      messages.join('\n'),
    );
    assert.ok(messages.includes('questions[0].options[2].id: duplicate option id "b"'), messages.join('\n'));
  });

  it('wants the id to match the file name', () => {
    assert.deepStrictEqual(messagesOf(quizJson('other'), '/x/sample.json'), ['id: "other" must match the file name "sample.json"']);
  });

  it('loads the good files of a folder, reports each broken one by file and field, and skips the schema', () => {
    const root = tempDir();
    const dir = path.join(root, QUIZZES_DIR);
    fs.mkdirSync(dir);
    const second = { ...quizJson('second'), module: 2 };
    fs.writeFileSync(path.join(dir, 'second.json'), JSON.stringify(second));
    fs.writeFileSync(path.join(dir, 'first.json'), JSON.stringify(quizJson('first')));
    fs.writeFileSync(path.join(dir, 'broken.json'), JSON.stringify({ ...quizJson('broken'), module: 9 }));
    fs.writeFileSync(path.join(dir, 'not-json.json'), '{ "id": ');
    fs.writeFileSync(path.join(dir, 'quiz.schema.json'), '{}');
    fs.writeFileSync(path.join(dir, 'notes.md'), '# not a quiz');

    const catalog = loadQuizzes(root);
    assert.deepStrictEqual(
      catalog.quizzes.map((q) => q.id),
      ['first', 'second'],
      'sorted by module',
    );
    assert.strictEqual(catalog.problems.length, 2);
    const broken = catalog.problems.find((p) => p.file === path.join(dir, 'broken.json'))!;
    assert.ok(broken.messages[0].startsWith('module:'), broken.messages.join('\n'));
    const notJson = catalog.problems.find((p) => p.file === path.join(dir, 'not-json.json'))!;
    assert.match(notJson.messages[0], /^not valid JSON/);
  });

  it('returns an empty catalog when there is no quiz folder', () => {
    assert.deepStrictEqual(loadQuizzes(tempDir()), { quizzes: [], problems: [] });
  });
});
