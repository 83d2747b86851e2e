// The course's knowledge checks, as shipped: every file valid, every question answerable.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { loadCatalog } from '../../../src/core/lab/catalog';
import { loadQuizzes, QUIZ_SCHEMA_FILE, QUIZZES_DIR, quizJsonSchemaText } from '../../../src/core/quiz';
import { REPO_ROOT } from '../../helpers';

const TEMPLATES = path.join(REPO_ROOT, 'lab-templates');

/** The graded quizzes of the course, one knowledge check each. */
const COURSE_QUIZZES = [
  'art-of-ml',
  'learning-rate-batch-size',
  'hyperparameter-tuning',
  'l1-regularization',
  'logistic-regression',
  'training-neural-networks',
  'multi-class-neural-networks',
  'custom-estimator',
];

/** The labs of the course map; a quiz may name one whose template is not in the catalog yet. */
const COURSE_LABS = [
  'regularization',
  'learning-rate',
  'hand-tuning',
  'hyperparameter-tuning',
  'l1-sparsity',
  'logistic-regression',
  'nn-playground',
  'neural-network',
  'multi-class',
  'custom-estimator',
  'keras-models',
];

describe('knowledge checks of the course', () => {
  const catalog = loadQuizzes(TEMPLATES);

  it('loads every quiz file without a problem', () => {
    assert.deepStrictEqual(catalog.problems, []);
    assert.deepStrictEqual(catalog.quizzes.map((q) => q.id).sort(), [...COURSE_QUIZZES].sort());
    const files = fs.readdirSync(path.join(TEMPLATES, QUIZZES_DIR)).filter((f) => f !== QUIZ_SCHEMA_FILE);
    assert.deepStrictEqual(files.sort(), COURSE_QUIZZES.map((id) => `${id}.json`).sort(), 'no stray files in _quizzes');
  });

  for (const id of COURSE_QUIZZES) {
    describe(id, () => {
      const quiz = () => catalog.quizzes.find((q) => q.id === id)!;

      it('has 5 to 8 questions with unique ids, each with options that are valid and explained', () => {
        const q = quiz();
        assert.ok(q.questions.length >= 5 && q.questions.length <= 8, `${q.questions.length} questions`);
        const ids = q.questions.map((x) => x.id);
        assert.strictEqual(new Set(ids).size, ids.length, 'question ids are unique');
        for (const question of q.questions) {
          const where = `${id}/${question.id}`;
          const right = question.options.filter((o) => o.correct).length;
          if (question.type === 'single') assert.strictEqual(right, 1, `${where}: one correct option`);
          else assert.ok(right >= 1 && right < question.options.length, `${where}: at least one correct and one wrong option`);
          assert.ok(question.options.length >= 3, `${where}: at least 3 options`);
          const optionIds = question.options.map((o) => o.id);
          assert.strictEqual(new Set(optionIds).size, optionIds.length, `${where}: option ids are unique`);
          for (const o of question.options) {
            assert.ok(o.explanation.trim().length >= 20, `${where}/${o.id}: the option has an explanation`);
            assert.ok(o.text.length <= 200, `${where}/${o.id}: option text fits a quick pick (${o.text.length} chars)`);
          }
          assert.ok(question.explanation.trim().length >= 120, `${where}: the question's explanation teaches`);
          assert.ok(question.prompt.length <= 200, `${where}: the prompt is short; longer set-ups go in "context"`);
          const texts = question.options.map((o) => o.text.toLowerCase());
          assert.strictEqual(new Set(texts).size, texts.length, `${where}: no two options say the same`);
        }
      });

      it('names labs of the course, and sits in the module of the labs it checks', () => {
        const q = quiz();
        assert.ok(q.labs.length >= 1);
        for (const lab of q.labs) assert.ok(COURSE_LABS.includes(lab), `${id}: unknown lab "${lab}"`);
        const labs = loadCatalog(TEMPLATES).labs.filter((l) => q.labs.includes(l.manifest.id));
        assert.ok(
          labs.some((l) => l.manifest.module.number === q.module),
          `${id}: module ${q.module} matches none of its labs`,
        );
      });
    });
  }

  it('does not put the right answer at the same letter every time', () => {
    for (const quiz of catalog.quizzes) {
      const positions = quiz.questions.filter((q) => q.type === 'single').map((q) => q.options.findIndex((o) => o.correct));
      assert.ok(new Set(positions).size >= 3, `${quiz.id}: right answers at ${positions.join(', ')}`);
    }
  });

  it('publishes a JSON Schema that matches the quiz schema', () => {
    const committed = fs.readFileSync(path.join(TEMPLATES, QUIZZES_DIR, QUIZ_SCHEMA_FILE), 'utf8');
    const regenerate = `node -e "process.stdout.write(require('./out/src/core/quiz').quizJsonSchemaText())" > lab-templates/${QUIZZES_DIR}/${QUIZ_SCHEMA_FILE}`;
    assert.strictEqual(committed, quizJsonSchemaText(), `regenerate it after changing src/core/quiz.ts: ${regenerate}`);
  });
});
