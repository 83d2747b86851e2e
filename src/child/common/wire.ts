// Binary values on the evaluator ↔ learner channel: numbers travel as base64 of little-endian
// float64 (exact, and far smaller and faster than JSON arrays of 20,000 rows), checked for their
// declared shape when decoded.
import * as z from 'zod/mini';
import '../../core/zodMessages';

export const Matrix = z.object({
  rows: z.int().check(z.minimum(0)),
  cols: z.int().check(z.minimum(0)),
  /** base64 of rows × cols float64 values, row after row. */
  data: z.string(),
});
export type Matrix = z.infer<typeof Matrix>;

export function encodeMatrix(rows: readonly (readonly number[])[], cols: number): Matrix {
  const data = new Float64Array(rows.length * cols);
  rows.forEach((r, i) => {
    for (let j = 0; j < cols; j++) data[i * cols + j] = r[j];
  });
  return { rows: rows.length, cols, data: Buffer.from(data.buffer).toString('base64') };
}

export function encodeVector(values: ArrayLike<number>): Matrix {
  const data = Float64Array.from(values as ArrayLike<number>);
  return { rows: data.length, cols: 1, data: Buffer.from(data.buffer).toString('base64') };
}

/** The values of a matrix, or a reason it is not one (its size does not match its shape). */
export function decodeMatrix(m: Matrix): { values: Float64Array } | { problem: string } {
  const bytes = Buffer.from(m.data, 'base64');
  if (bytes.length !== m.rows * m.cols * 8) return { problem: `declares ${m.rows} × ${m.cols} values but carries ${Math.floor(bytes.length / 8)}` };
  const values = new Float64Array(m.rows * m.cols);
  new Uint8Array(values.buffer).set(bytes);
  return { values };
}

/** Rows of a decoded matrix. */
export function toRows(values: Float64Array, rows: number, cols: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < rows; i++) out.push(Array.from(values.subarray(i * cols, (i + 1) * cols)));
  return out;
}

export const WeightSpec = z.object({
  name: z.string(),
  shape: z.array(z.int().check(z.minimum(0))),
  dtype: z.enum(['float32', 'int32', 'bool', 'string', 'complex64']),
});

/** A TensorFlow.js layers model in its saved form: the topology (JSON text) and its weights. */
export const ModelArtifacts = z.object({
  /** JSON text of `modelTopology`, as model.save() writes it into model.json. */
  topology: z.string(),
  weightSpecs: z.array(WeightSpec),
  /** base64 of the weights' bytes, in the order of weightSpecs. */
  weights: z.string(),
  /** The training configuration (loss, metrics, optimizer) when the learner compiled the model. */
  trainingConfig: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
  /** When the learner compiled with a loss function of their own, its name (it cannot be saved). */
  customLoss: z.optional(z.string()),
});
export type ModelArtifacts = z.infer<typeof ModelArtifacts>;
