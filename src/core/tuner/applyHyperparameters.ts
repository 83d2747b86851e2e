// Writes hyperparameter values (e.g. a study's best trial) into the learner's code, as text edits
// on the literals of the exported `hyperparameters` object. Only literals are replaced: a value the
// learner computes is reported, not overwritten.
import { locateValue, type SourceRange } from '../source/locate';
import type { Hyperparameters } from '../run/protocol';
import type { Hyperparameter } from '../lab/manifest';

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

/**
 * A value as a TypeScript literal. Values come from a study's journal, a file in the lab folder that
 * anyone could have edited: strings go through JSON's encoder (every quote, backslash, newline and
 * line separator escaped), and only finite numbers and booleans are written at all.
 */
export function literal(value: number | string | boolean): string {
  if (typeof value === 'string')
    return JSON.stringify(value)
      .replace(/\u2028/g, '\\u2028')
      .replace(/\u2029/g, '\\u2029');
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`${value} is not a number a hyperparameter can take`);
    return String(Number(value.toPrecision(6)));
  }
  if (typeof value === 'boolean') return String(value);
  throw new Error(`a hyperparameter cannot be ${typeof value}`);
}

/** Why a value may not be written for a hyperparameter of the lab, or undefined if it may. */
function refuse(spec: Hyperparameter | undefined, value: unknown): string | undefined {
  if (!spec) return 'not a hyperparameter of this lab';
  if (spec.type === 'categorical')
    return spec.values && !spec.values.includes(value as string | number) ? `${JSON.stringify(value)} is not one of its values` : undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) return `${JSON.stringify(value)} is not a number`;
  if (spec.type === 'integer' && !Number.isInteger(value)) return `${value} is not a whole number`;
  if ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max)) return `${value} is outside the lab's range`;
  return undefined;
}

/**
 * Edits that write `values` into the learner's file. With `allowed` (the lab's hyperparameters), only
 * those names, with values of their type and range, are written: the values come from a study's files.
 */
export function planHyperparameterEdits(file: string, source: string, values: Hyperparameters, allowed?: Record<string, Hyperparameter>): ApplyPlan {
  const edits: ValueEdit[] = [];
  const skipped: ApplyPlan['skipped'] = [];
  const lines = source.split('\n');
  for (const [name, value] of Object.entries(values)) {
    if (allowed) {
      const why = refuse(Object.hasOwn(allowed, name) ? allowed[name] : undefined, value);
      if (why) {
        skipped.push({ name, why });
        continue;
      }
    }
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
    let newText: string;
    try {
      newText = literal(value);
    } catch (err) {
      skipped.push({ name, why: (err as Error).message });
      continue;
    }
    edits.push({ name, range, oldText, newText });
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
