// A small quiz for the tests: one single-choice and one multiple-choice question.
import { Quiz } from '../../../src/core/quiz';

export function quizJson(id = 'sample'): Record<string, unknown> {
  return {
    formatVersion: 1,
    id,
    title: 'Sample',
    summary: 'A quiz for tests.',
    module: 1,
    labs: ['hand-tuning'],
    questions: [
      {
        id: 'one',
        type: 'single',
        prompt: 'Pick b.',
        options: [
          { id: 'a', text: 'A', explanation: 'Not a.' },
          { id: 'b', text: 'B', correct: true, explanation: 'Yes, b.' },
          { id: 'c', text: 'C', explanation: 'Not c.' },
        ],
        explanation: 'Because b.',
      },
      {
        id: 'many',
        type: 'multiple',
        prompt: 'Pick a and c.',
        options: [
          { id: 'a', text: 'A', correct: true, explanation: 'Yes, a.' },
          { id: 'b', text: 'B', explanation: 'Not b.' },
          { id: 'c', text: 'C', correct: true, explanation: 'Yes, c.' },
        ],
        explanation: 'Because a and c.',
      },
    ],
  };
}

/** The sample quiz as the loader returns it (defaults filled in). */
export function sampleQuiz(id = 'sample'): Quiz {
  return Quiz.parse(quizJson(id));
}
