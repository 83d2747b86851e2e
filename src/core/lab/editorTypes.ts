// TypeScript in a lab folder with no node_modules: a tsconfig.json that resolves `@tensorflow/tfjs` to
// TensorFlow.js's declarations (rolled up into one file at build time, scripts/tfjsTypes.js), copied
// into the lab's work folder. Copied, not pointed at: the extension's install folder changes with every
// update and does not exist on another machine, while the lab keeps working wherever it is opened.
import * as fs from 'fs';
import * as path from 'path';
import { lstatInLab, readLabFile, writeLabFile } from '../files/labFiles';
import { WORK_DIR } from '../files/paths';

/** In the lab templates: tsconfig.json, globals.d.ts and the generated tfjs.d.ts. */
export const TYPES_TEMPLATE_DIR = '_typescript';
/** In a lab: where the declarations go (the tsconfig.json points here). */
export const LAB_TYPES_DIR = `${WORK_DIR}/types`;

const DECLARATIONS = ['tfjs.d.ts', 'globals.d.ts'];

export interface TypeFileCopy {
  from: string;
  /** Relative to the lab folder, with "/" separators. */
  to: string;
}

/** The files that make a lab type-check; the generated declarations must have been built. */
export function planLabTypes(templatesDir: string): TypeFileCopy[] {
  const dir = path.join(templatesDir, TYPES_TEMPLATE_DIR);
  const missing = ['tsconfig.json', ...DECLARATIONS].filter((f) => !fs.existsSync(path.join(dir, f)));
  if (missing.length > 0) {
    throw new Error(`${missing.map((f) => path.join(dir, f)).join(', ')} missing: TensorFlow.js's declarations for labs are built by "npm run build"`);
  }
  return [
    { from: path.join(dir, 'tsconfig.json'), to: 'tsconfig.json' },
    ...DECLARATIONS.map((f) => ({ from: path.join(dir, f), to: `${LAB_TYPES_DIR}/${f}` })),
  ];
}

/**
 * Brings a lab's declarations up to date with this installation (after an update of the extension,
 * or in a clone whose .mllabs/ was not committed); adds tsconfig.json only if the lab has none.
 * Returns the files written.
 */
export function refreshLabTypes(labDir: string, templatesDir: string): string[] {
  const written: string[] = [];
  for (const copy of planLabTypes(templatesDir)) {
    const isDeclaration = copy.to.startsWith(`${LAB_TYPES_DIR}/`);
    // Through the lab-folder checks: a link planted in a cloned lab is refused, never written through.
    const existing = lstatInLab(labDir, copy.to);
    const content = fs.readFileSync(copy.from);
    if (existing && (!isDeclaration || readLabFile(labDir, copy.to, content.length + 1)?.equals(content))) continue;
    writeLabFile(labDir, copy.to, content);
    written.push(copy.to);
  }
  return written;
}
