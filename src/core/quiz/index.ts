// Knowledge checks: quiz files and their schema, grading and the question loop, the learner's progress.
export * from './schema';
export * from './grade';
export * from './progress';
