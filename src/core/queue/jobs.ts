// The jobs on the queue and what comes back. A job carries all a worker needs without the
// coordinator's folders: the course lab's id and manifest digest, the learner's files, and for a
// trial the hyperparameters and seed. Job ids are content hashes, so the same work added twice is one
// job, and a result is recorded once however often a job ran.
import { createHash } from 'crypto';
import * as z from 'zod/mini';
import '../zodMessages';
import { GradingOutcome } from '../classGrading/outcome';
import { BACKEND_CHOICES } from '../lab/manifest';
import { Hyperparameters } from '../run/protocol';
import { canonicalJson } from '../canonicalJson';

export const JOB_FORMAT = 1;

/** The learner's files, by path relative to the lab folder, base64. */
const Files = z.record(z.string(), z.string());

const common = {
  v: z.literal(JOB_FORMAT),
  labId: z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,63}$/)),
  /** sha256 of the course manifest the job expects: a worker with another version of the lab refuses it. */
  manifestSha256: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
  files: Files,
  backend: z.optional(z.enum(BACKEND_CHOICES)),
  timeBudgetMs: z.optional(z.number().check(z.positive())),
  memoryMb: z.optional(z.number().check(z.positive())),
};

// An official grading (grade-class): coordinator → worker.
export const GradeJobData = z.object({
  kind: z.literal('grade'),
  ...common,
  /** The public name of the grading secret the coordinator expects workers to grade with (if it has one). */
  secretId: z.optional(z.string()),
});
export type GradeJobData = z.infer<typeof GradeJobData>;

// One trial of a study (tune --redis): coordinator → worker.
export const TrialJobData = z.object({
  kind: z.literal('trial'),
  ...common,
  hyperparameters: Hyperparameters,
  seed: z.int(),
  /** The study's metric: its per-epoch values are reported back, its final value is the objective. */
  metricTag: z.string(),
});
export type TrialJobData = z.infer<typeof TrialJobData>;

export const JobData = z.discriminatedUnion('kind', [GradeJobData, TrialJobData]);
export type JobData = z.infer<typeof JobData>;

// What a trial produced on a worker: worker → coordinator, signed.
export const TrialOutcome = z.object({
  kind: z.literal('trial'),
  /** The run's end status. */
  status: z.string(),
  objective: z.nullable(z.number()),
  metrics: z.optional(z.record(z.string(), z.nullable(z.number()))),
  error: z.optional(z.string()),
  durationMs: z.optional(z.number()),
  gradedBy: z.optional(z.string()),
});
export type TrialOutcome = z.infer<typeof TrialOutcome>;

export const JobOutcome = z.discriminatedUnion('kind', [GradingOutcome, TrialOutcome]);
export type JobOutcome = z.infer<typeof JobOutcome>;

// A job's return value: the outcome and the worker's signature over it (see signing.ts).
export const ResultEnvelope = z.object({
  v: z.literal(JOB_FORMAT),
  outcome: z.unknown(),
  signature: z.string(),
  /** The fingerprint of the key the worker signed with, to tell a wrong key from a forgery. */
  keyFingerprint: z.optional(z.string()),
});
export type ResultEnvelope = z.infer<typeof ResultEnvelope>;

// An intermediate value of a trial (its job's progress): worker → coordinator, signed.
export const TrialProgress = z.object({
  step: z.number(),
  value: z.nullable(z.number()),
  signature: z.string(),
});
export type TrialProgress = z.infer<typeof TrialProgress>;

function digest(value: unknown, length: number): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, length);
}

/**
 * A grading's job id: a hash of everything the grade depends on and of the signing key (a result
 * signed with another key is not one this coordinator can use). Two learners who hand in the same
 * files share one job: the grade is a function of the files.
 */
export function gradeJobId(data: GradeJobData, keyFingerprint: string): string {
  return `grade-${data.labId}-${digest({ data, keyFingerprint }, 40)}`;
}

/** A trial's job id: its study and number (the journal's key), and a hash of what it runs. */
export function trialJobId(studyId: string, trial: number, data: TrialJobData, keyFingerprint: string): string {
  return `trial-${studyId}-${trial}-${digest({ data, keyFingerprint }, 16)}`;
}

export function base64Files(files: Record<string, Buffer>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, data] of Object.entries(files)) out[name] = data.toString('base64');
  return out;
}

export function bufferFiles(files: Record<string, string>): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const [name, data] of Object.entries(files)) out[name] = Buffer.from(data, 'base64');
  return out;
}
