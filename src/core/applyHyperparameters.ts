// Writes hyperparameter values (e.g. a study's best trial) into the learner's code, as text edits
// on the literals of the exported `hyperparameters` object. Only literals are replaced: a value the
// learner computes is reported, not overwritten.
import { locateValue, type SourceRange } from './sourceLocate';
import type { Hyperparameters } from './protocol';

export interface ValueEdit {
  name: string;
  range: SourceRange;
  oldText: string;
  newText: string;
}

export interface ApplyPlan {
  edits: ValueEdit[];
  /** Names whose current value is not a plain literal, or that the file does not mention. */
  skipped: { name: string; why: string }[];
}

const LITERAL = /^(-?[\d_.]+(e-?\d+)?|'[^']*'|"[^"]*"|true|false)$/i;

function literal(value: number | string | boolean): string {
  if (typeof value === 'string') return `'${value.replace(/'/g, "\\'")}'`;
  if (typeof value === 'number') return String(Number(value.toPrecision(6)));
  return String(value);
}

export function planHyperparameterEdits(file: string, source: string, values: Hyperparameters): ApplyPlan {
  const edits: ValueEdit[] = [];
  const skipped: ApplyPlan['skipped'] = [];
  const lines = source.split('\n');
  for (const [name, value] of Object.entries(values)) {
    const range = locateValue(file, source, name);
    if (!range || range.line !== range.endLine) {
      skipped.push({ name, why: `no "${name}:" value found in ${file}` });
      continue;
    }
    const oldText = lines[range.line - 1].slice(range.column - 1, range.endColumn - 1);
    if (!LITERAL.test(oldText.trim())) {
      skipped.push({ name, why: `${name} is computed (${oldText.trim()}), not a literal` });
      continue;
    }
    edits.push({ name, range, oldText, newText: literal(value) });
  }
  return { edits, skipped };
}

/** Applies a plan to the text (edits never overlap: one per name). */
export function applyEdits(source: string, edits: ValueEdit[]): string {
  const lines = source.split('\n');
  for (const e of [...edits].sort((a, b) => b.range.line - a.range.line || b.range.column - a.range.column)) {
    const l = lines[e.range.line - 1];
    lines[e.range.line - 1] = l.slice(0, e.range.column - 1) + e.newText + l.slice(e.range.endColumn - 1);
  }
  return lines.join('\n');
}
