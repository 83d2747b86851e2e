// Pieces the course's JSON formats share (lab manifests, quizzes): descriptions that reach the JSON
// Schemas generated for authors, and the shape of the ids their files are named by.
import * as z from 'zod/mini';

/** A schema with a description (shown by editors through the generated JSON Schema). */
export function described<T extends z.ZodMiniType>(schema: T, description: string): T {
  return schema.check(z.describe(description)) as T;
}

/** An id of lower-case words joined by "-"; `example` is the one the error message shows. */
export function dashedId(example: string) {
  return z.string().check(z.regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, `use lower-case words joined by "-", e.g. "${example}"`));
}
