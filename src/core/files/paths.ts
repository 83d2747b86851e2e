// Where the packaged parts live, relative to the extension / package root.
// Bundles sit in `<root>/dist/`, so the root is one level above the running bundle.
import * as path from 'path';

export interface InstallPaths {
  root: string;
  templatesDir: string;
  /** The trusted side of a run: data, labels, training, measurement (see src/child/evaluator). */
  evaluatorScript: string;
  /** The learner's process (see src/child/learner). */
  learnerScript: string;
  /** The tuner's sampler worker thread (see core/tuner/samplerWorker.ts). */
  samplerWorkerScript: string;
  schemaFile: string;
}

export function installPaths(root: string): InstallPaths {
  return {
    root,
    templatesDir: path.join(root, 'lab-templates'),
    evaluatorScript: path.join(root, 'dist', 'evaluator.js'),
    learnerScript: path.join(root, 'dist', 'learner.js'),
    samplerWorkerScript: path.join(root, 'dist', 'samplerWorker.js'),
    schemaFile: path.join(root, 'lab-templates', 'lab.schema.json'),
  };
}

/** Work folder of a lab: run files and caches live here, next to the learner's code. */
export const WORK_DIR = '.mllabs';
