// What every stage of the learner's process works with: TensorFlow.js on the chosen backend, the
// learner's compiled module, the start message, and the way back to the evaluator.
import type { FromLearner, LearnerStart } from '../common/learnerProtocol';
import { locateExport } from '../../core/source/locate';
import { ContractError } from '../common/errors';
import type { SourceRange } from '../../core/source/locate';

export type Tf = typeof import('@tensorflow/tfjs');

export interface LearnerContext {
  tf: Tf;
  start: LearnerStart;
  /** The learner's compiled entry module. */
  learner: Record<string, unknown>;
  send(message: FromLearner): void;
  /** Resolves with the next message of the evaluator of the given type. */
  next<T extends 'predict'>(type: T): Promise<Extract<import('../common/learnerProtocol').ToLearner, { type: T }>>;
}

/** Where an export is defined in the entry file, for errors that concern it. */
export function at(ctx: LearnerContext, name: string): SourceRange | undefined {
  return locateExport(ctx.start.entry, ctx.start.entrySource, name);
}

/** The exports the lab needs, all present, or a contract error naming the missing ones. */
export function requireExports(ctx: LearnerContext): void {
  const missing = ctx.start.manifest.exports.filter((name) => ctx.learner[name] === undefined);
  if (missing.length > 0) {
    throw new ContractError(
      `${ctx.start.entry} must export ${missing.map((m) => `"${m}"`).join(', ')}; the lab reads ${missing.length === 1 ? 'it' : 'them'}`,
      at(ctx, missing[0]),
    );
  }
}

/** The exports named, as plain data (what the evaluator reads: numbers, strings, arrays, objects). */
export function plainValues(ctx: LearnerContext, names: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of names) {
    const value = ctx.learner[name];
    if (value === undefined) continue;
    let text: string | undefined;
    try {
      text = JSON.stringify(value, (_key, v: unknown) => {
        if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') throw new Error(`it holds a ${typeof v}`);
        return v;
      });
    } catch (err) {
      throw new ContractError(`"${name}" must be plain data (numbers, strings, arrays, objects), but ${(err as Error).message}`, at(ctx, name));
    }
    if (text === undefined) throw new ContractError(`"${name}" must be plain data, not ${typeof value}`, at(ctx, name));
    if (text.length > 64 * 1024)
      throw new ContractError(`"${name}" is ${Math.round(text.length / 1024)} KB of data; the lab reads a few settings, not a table`, at(ctx, name));
    out[name] = JSON.parse(text) as unknown;
  }
  return out;
}
