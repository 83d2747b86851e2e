// The messages between a WorkerSampler (on the study's thread) and the sampler worker thread
// (samplerWorker.ts, bundled as dist/samplerWorker.js). One schema per message, used by both ends;
// every message received is validated. The worker holds nothing between asks: each ask carries the
// sampler to run, the whole study view and the trial number, as the in-process call would.
import * as z from 'zod/mini';
import '../zodMessages';
import { describeIssues } from '../zodMessages';
import { GaussianProcessSampler } from './samplers/bayesian';
import { GridSampler } from './samplers/grid';
import { RandomSampler } from './samplers/random';
import type { SyncSampler } from './samplers/sampler';
import { errorMessage } from './scheduler';
import { SCALE_TYPES, StudySpec } from './spec';
import type { StudyView } from './study';
import { TRIAL_STATES } from './trial';

/** Which sampler runs in the worker, with its options: what its constructor would be given. */
export const SamplerChoice = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('gaussian-process'),
    options: z.optional(
      z.object({
        initialTrials: z.optional(z.int().check(z.minimum(0))),
        candidates: z.optional(z.int().check(z.minimum(1))),
        localSearches: z.optional(z.int().check(z.minimum(0))),
        fitRestarts: z.optional(z.int().check(z.minimum(0))),
      }),
    ),
  }),
  z.object({ kind: z.literal('random') }),
  z.object({ kind: z.literal('grid') }),
]);
export type SamplerChoice = z.infer<typeof SamplerChoice>;

/** The sampler a choice names, as it runs on either thread. */
export function samplerFromChoice(choice: SamplerChoice): SyncSampler {
  switch (choice.kind) {
    case 'gaussian-process':
      return new GaussianProcessSampler(choice.options);
    case 'random':
      return new RandomSampler();
    case 'grid':
      return new GridSampler();
  }
}

const ParamsSchema = z.record(z.string(), z.union([z.number(), z.string()]));
const scale = z.enum(SCALE_TYPES);

const SearchParamSchema = z.discriminatedUnion('type', [
  z.object({ name: z.string(), type: z.literal('DOUBLE'), min: z.number(), max: z.number(), scale }),
  z.object({ name: z.string(), type: z.literal('INTEGER'), min: z.number(), max: z.number(), scale }),
  z.object({ name: z.string(), type: z.literal('DISCRETE'), values: z.array(z.number()), scale }),
  z.object({ name: z.string(), type: z.literal('CATEGORICAL'), values: z.array(z.string()) }),
]);

const TrialSchema = z.object({
  number: z.int().check(z.minimum(1)),
  params: ParamsSchema,
  state: z.enum(TRIAL_STATES),
  intermediate: z.array(z.object({ step: z.number(), value: z.nullable(z.number()) })),
  objective: z.optional(z.nullable(z.number())),
  metrics: z.optional(z.record(z.string(), z.nullable(z.number()))),
  error: z.optional(z.string()),
  retryOf: z.optional(z.int()),
  createdAt: z.string(),
  finishedAt: z.optional(z.string()),
  durationMs: z.optional(z.number()),
});

/**
 * The study view. The spec has the fields of a study spec but not its cross-field rules: a
 * sampler is given views that are not whole studies (in tests, benchmarks), and answers them.
 */
const StudyViewSchema = z.object({
  spec: z.object(StudySpec.shape),
  space: z.array(SearchParamSchema),
  trials: z.array(TrialSchema),
});

// study thread → worker: propose the parameters of trial `number`.
export const AskMessage = z.object({
  type: z.literal('ask'),
  /** Pairs the reply with its ask. */
  id: z.int(),
  sampler: SamplerChoice,
  view: StudyViewSchema,
  number: z.int().check(z.minimum(1)),
});
export type AskMessage = z.infer<typeof AskMessage>;

// worker → study thread: the sampler's answer (null: nothing left to try).
const ProposalMessage = z.object({ type: z.literal('proposal'), id: z.int(), params: z.nullable(ParamsSchema) });
// worker → study thread: the sampler threw, as it would have in-process.
const FailedMessage = z.object({ type: z.literal('failed'), id: z.int(), message: z.string() });
// worker → study thread: the ask did not pass validation (id null if it had none).
const InvalidMessage = z.object({ type: z.literal('invalid'), id: z.nullable(z.int()), message: z.string() });
export const SamplerReply = z.discriminatedUnion('type', [ProposalMessage, FailedMessage, InvalidMessage]);
export type SamplerReply = z.infer<typeof SamplerReply>;

/** What the worker answers to a message: the sampler's proposal for a valid ask. */
export function answerAsk(raw: unknown): SamplerReply {
  const parsed = AskMessage.safeParse(raw);
  if (!parsed.success) {
    const id = typeof raw === 'object' && raw !== null && 'id' in raw && Number.isInteger(raw.id) ? (raw.id as number) : null;
    return { type: 'invalid', id, message: `not a valid ask: ${describeIssues(parsed.error).slice(0, 3).join('; ')}` };
  }
  const { id, sampler, view, number } = parsed.data;
  try {
    const params = samplerFromChoice(sampler).ask(view as StudyView, number);
    return { type: 'proposal', id, params: params ?? null };
  } catch (err) {
    return { type: 'failed', id, message: errorMessage(err) };
  }
}
