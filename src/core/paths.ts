// Where the packaged parts live, relative to the extension / package root.
// Bundles sit in `<root>/dist/`, so the root is one level above the running bundle.
import * as path from 'path';

export interface InstallPaths {
  root: string;
  templatesDir: string;
  runnerScript: string;
  /** The tuner's sampler worker thread (see core/tuner/samplerWorker.ts). */
  samplerWorkerScript: string;
  schemaFile: string;
}

export function installPaths(root: string): InstallPaths {
  return {
    root,
    templatesDir: path.join(root, 'lab-templates'),
    runnerScript: path.join(root, 'dist', 'runner.js'),
    samplerWorkerScript: path.join(root, 'dist', 'samplerWorker.js'),
    schemaFile: path.join(root, 'lab-templates', 'lab.schema.json'),
  };
}

/** Work folder of a lab: run files and caches live here, next to the learner's code. */
export const WORK_DIR = '.mllabs';
