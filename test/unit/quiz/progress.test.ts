import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { gradeQuiz, mergeAttempt, mllabsHome, QUIZ_PROGRESS_FILE, QuizProgressStore, quizStanding } from '../../../src/core/quiz';
import { tempDir } from '../../helpers';
import { sampleQuiz } from './fixtures';

describe('quiz progress', () => {
  const quiz = sampleQuiz();
  const t0 = new Date('2025-01-01T10:00:00Z');
  const t1 = new Date('2025-01-02T10:00:00Z');

  it('remembers right answers across attempts, the best score and when the quiz was completed', () => {
    const first = mergeAttempt(quiz, undefined, gradeQuiz(quiz, { one: ['b'], many: ['a'] }), t0);
    assert.deepStrictEqual(first, {
      correct: ['one'],
      attempts: 1,
      bestScore: 0.5,
      lastScore: 0.5,
      completed: false,
      updatedAt: t0.toISOString(),
      completedAt: undefined,
    });
    const second = mergeAttempt(quiz, first, gradeQuiz(quiz, { one: ['a'], many: ['a', 'c'] }), t1);
    assert.deepStrictEqual(second.correct, ['one', 'many'], 'right once is enough');
    assert.strictEqual(second.attempts, 2);
    assert.strictEqual(second.bestScore, 0.5, 'the best single attempt, not the union');
    assert.strictEqual(second.completed, true);
    assert.strictEqual(second.completedAt, t1.toISOString());
    const third = mergeAttempt(quiz, second, gradeQuiz(quiz, { one: ['b'], many: ['a', 'c'] }), new Date('2025-01-03T10:00:00Z'));
    assert.strictEqual(third.bestScore, 1);
    assert.strictEqual(third.completedAt, t1.toISOString(), 'completed once, stays dated');
  });

  it('measures standing against the quiz as it is now', () => {
    const entry = mergeAttempt(quiz, undefined, gradeQuiz(quiz, { one: ['b'], many: ['a', 'c'] }), t0);
    assert.strictEqual(quizStanding(quiz, entry).completed, true);
    const grown = sampleQuiz();
    grown.questions.push({ ...grown.questions[0], id: 'new-one' });
    assert.deepStrictEqual(quizStanding(grown, entry), { correct: 2, total: 3, attempts: 1, bestScore: 1, completed: false });
    assert.deepStrictEqual(quizStanding(quiz, undefined), { correct: 0, total: 2, attempts: 0, bestScore: 0, completed: false });
  });

  it('saves to quiz-progress.json atomically and reads it back', () => {
    const dir = path.join(tempDir(), 'nested', 'storage');
    const store = new QuizProgressStore(dir);
    assert.deepStrictEqual(store.read(), { entries: {}, warnings: [] });
    store.record(quiz, gradeQuiz(quiz, { one: ['b'] }));
    store.record(sampleQuiz('other'), gradeQuiz(quiz, { many: ['a', 'c'] }));
    const again = new QuizProgressStore(dir).read();
    assert.deepStrictEqual(again.warnings, []);
    assert.deepStrictEqual(Object.keys(again.entries).sort(), ['other', 'sample']);
    assert.deepStrictEqual(again.entries.sample.correct, ['one']);
    assert.deepStrictEqual(fs.readdirSync(dir), [QUIZ_PROGRESS_FILE], 'no temporary files left behind');
    const onDisk = JSON.parse(fs.readFileSync(path.join(dir, QUIZ_PROGRESS_FILE), 'utf8')) as { formatVersion: number };
    assert.strictEqual(onDisk.formatVersion, 1);
  });

  it('keeps changes made by another program between reads (each save re-reads the file)', () => {
    const dir = tempDir();
    const a = new QuizProgressStore(dir);
    const b = new QuizProgressStore(dir);
    a.record(quiz, gradeQuiz(quiz, { one: ['b'] }));
    b.record(sampleQuiz('other'), gradeQuiz(quiz, { one: ['b'] }));
    assert.deepStrictEqual(Object.keys(a.read().entries).sort(), ['other', 'sample']);
  });

  it('does not count an attempt with no answers', () => {
    const entry = new QuizProgressStore(tempDir()).record(quiz, gradeQuiz(quiz, {}));
    assert.strictEqual(entry.attempts, 0);
  });

  it('forgets one quiz on reset', () => {
    const store = new QuizProgressStore(tempDir());
    store.record(quiz, gradeQuiz(quiz, { one: ['b'] }));
    store.record(sampleQuiz('other'), gradeQuiz(quiz, { one: ['b'] }));
    assert.strictEqual(store.reset('sample'), true);
    assert.strictEqual(store.reset('sample'), false);
    assert.deepStrictEqual(Object.keys(store.read().entries), ['other']);
  });

  it('sets an unreadable file aside instead of overwriting it', () => {
    const dir = tempDir();
    const file = path.join(dir, QUIZ_PROGRESS_FILE);
    fs.writeFileSync(file, '{ "formatVersion": 1, "quizzes": {');
    const store = new QuizProgressStore(dir);
    const read = store.read();
    assert.deepStrictEqual(read.entries, {});
    assert.match(read.warnings[0], /is not a valid progress file/);
    store.record(quiz, gradeQuiz(quiz, { one: ['b'] }));
    const kept = fs.readdirSync(dir).filter((f) => f.startsWith(`${QUIZ_PROGRESS_FILE}.unreadable-`));
    assert.strictEqual(kept.length, 1);
    assert.strictEqual(fs.readFileSync(path.join(dir, kept[0]), 'utf8'), '{ "formatVersion": 1, "quizzes": {');
    assert.deepStrictEqual(store.read().warnings, []);
  });

  it('ignores one invalid entry with a warning, and keeps it on disk', () => {
    const dir = tempDir();
    const file = path.join(dir, QUIZ_PROGRESS_FILE);
    fs.writeFileSync(file, JSON.stringify({ formatVersion: 1, quizzes: { odd: { attempts: 'many' } } }));
    const store = new QuizProgressStore(dir);
    const read = store.read();
    assert.deepStrictEqual(read.entries, {});
    assert.match(read.warnings[0], /progress of "odd" is not valid/);
    store.record(quiz, gradeQuiz(quiz, { one: ['b'] }));
    assert.deepStrictEqual((JSON.parse(fs.readFileSync(file, 'utf8')) as { quizzes: Record<string, unknown> }).quizzes.odd, { attempts: 'many' });
  });

  it('lives in $MLLABS_HOME, else in ~/.mllabs', () => {
    assert.strictEqual(mllabsHome({ MLLABS_HOME: '/tmp/somewhere' }), path.resolve('/tmp/somewhere'));
    assert.strictEqual(mllabsHome({}), path.join(os.homedir(), '.mllabs'));
  });
});
