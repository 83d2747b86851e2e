// The JSON Schema of lab.json, generated from the zod schema so the two never drift apart.
// Published as lab-templates/lab.schema.json for editor completion (jsonValidation).
import * as z from 'zod/mini';
import { LabManifest } from './manifest';

export function labJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(LabManifest, { io: 'input', unrepresentable: 'any', target: 'draft-7' }) as Record<string, unknown>;
  return {
    ...schema,
    title: 'ML Labs lab manifest (lab.json)',
    description: 'Describes one lab: the files the learner edits, the data, the hyperparameters, the checks and hints, and the time budget.',
  };
}

export function labJsonSchemaText(): string {
  return JSON.stringify(labJsonSchema(), null, 2) + '\n';
}
