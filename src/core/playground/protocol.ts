// The messages of the playground panel, in both of its hops: extension host ↔ trainer child
// process, and extension host ↔ webview. One schema per message, one union per direction with
// `type` as the discriminant; every receiver validates and drops (and logs) what does not parse.
// Heat maps travel as base64 of one byte per cell, so a 100×100 frame is 13 kB of JSON.
// Browser-safe: zod/mini and the playground's pure modules only.
import * as z from 'zod/mini';
import '../zodMessages';
import { FEATURE_IDS } from './features';
import { LIMITS as CONFIG_LIMITS, PlaygroundConfig, PlaygroundConfigChange } from './config';

/** What trains: the exact float64 trainer, or TensorFlow.js on the same network. */
export const ENGINES = ['exact', 'tfjs'] as const;
export type Engine = (typeof ENGINES)[number];

/** TF Playground trains one epoch per animation frame, about 60 a second: "1×". */
export const PLAYGROUND_PACE = 60;
/** Epochs per second to aim for, or as fast as the engine goes. */
export const SPEED_CHOICES = [PLAYGROUND_PACE, PLAYGROUND_PACE * 10, PLAYGROUND_PACE * 100, 'max'] as const;

export const LIMITS = {
  /** Classification uses 500 points and regression 1200; a little headroom. */
  points: 2000,
  maxDensity: 200,
  maxNodeDensity: 32,
  /** Hidden neurons plus the output. */
  maxNeurons: CONFIG_LIMITS.maxHiddenLayers * CONFIG_LIMITS.maxNeurons + 1,
  /** Links of the largest network: 7 inputs, six layers of 8, one output. */
  maxLinks: FEATURE_IDS.length * CONFIG_LIMITS.maxNeurons + (CONFIG_LIMITS.maxHiddenLayers - 1) * CONFIG_LIMITS.maxNeurons ** 2 + CONFIG_LIMITS.maxNeurons,
  /** Loss points in one message (a frame carries the epochs since the previous one). */
  lossPoints: 100_000,
  text: 4000,
  maxEpochsPerStep: 10_000,
} as const;

const Text = z.string().check(z.maxLength(LIMITS.text));
const Count = z.int().check(z.minimum(0));
/** Non-finite numbers travel as null: JSON has no NaN, and a diverged network produces them. */
const MaybeNumber = z.nullable(z.number());

export const Speed = z.union([z.literal('max'), z.int().check(z.minimum(1), z.maximum(100_000))]);
export type Speed = z.infer<typeof Speed>;

/** Output value → byte: [−1, 1] onto 0–255 (clamped; NaN → the middle). TF Playground's colour scale spans [−1, 1] too. */
export function quantize(values: ArrayLike<number>, out: Uint8Array, offset = 0): Uint8Array {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    out[offset + i] = v >= 1 ? 255 : v <= -1 ? 0 : v === v ? Math.round((v + 1) * 127.5) : 128;
  }
  return out;
}

/** Byte → value in [−1, 1]. */
export function dequantize(b: number): number {
  return b / 127.5 - 1;
}

/** Bytes decoded from a base64 string of this length. */
export function base64Bytes(s: string): number {
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  return (s.length / 4) * 3 - pad;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const Base64 = (maxBytes: number) => z.string().check(z.maxLength(Math.ceil(maxBytes / 3) * 4), z.regex(BASE64, 'expected base64'));

/** The network's output per cell of a density × density grid over [−6, 6]², row 0 at the top; byte b means (b − 127.5) / 127.5, clamped to [−1, 1]. */
export const HeatMap = z
  .object({
    density: z.int().check(z.minimum(2), z.maximum(LIMITS.maxDensity)),
    data: Base64(LIMITS.maxDensity ** 2),
  })
  .check(z.refine((h) => base64Bytes(h.data) === h.density * h.density, { message: 'data must hold density² bytes' }));
export type HeatMap = z.infer<typeof HeatMap>;

/** Every hidden neuron's and the output's map, neuron after neuron, in the same encoding. */
export const NeuronMaps = z
  .object({
    density: z.int().check(z.minimum(2), z.maximum(LIMITS.maxNodeDensity)),
    count: z.int().check(z.minimum(1), z.maximum(LIMITS.maxNeurons)),
    data: Base64(LIMITS.maxNodeDensity ** 2 * LIMITS.maxNeurons),
  })
  .check(z.refine((m) => base64Bytes(m.data) === m.density * m.density * m.count, { message: 'data must hold density² bytes per neuron' }));
export type NeuronMaps = z.infer<typeof NeuronMaps>;

function linkCount(sizes: readonly number[]): number {
  let n = 0;
  for (let l = 1; l < sizes.length; l++) n += sizes[l - 1]! * sizes[l]!;
  return n;
}

/**
 * The network as drawn: nodes per layer (inputs first, the output last), weights flat in layer,
 * destination, source order, biases of every non-input node, and the indices of links L1 killed.
 */
export const NetworkDrawing = z
  .object({
    sizes: z.array(z.int().check(z.minimum(0), z.maximum(CONFIG_LIMITS.maxNeurons))).check(z.minLength(2), z.maxLength(CONFIG_LIMITS.maxHiddenLayers + 2)),
    weights: z.array(MaybeNumber).check(z.maxLength(LIMITS.maxLinks)),
    biases: z.array(MaybeNumber).check(z.maxLength(LIMITS.maxNeurons)),
    dead: z.array(Count).check(z.maxLength(LIMITS.maxLinks)),
  })
  .check(
    z.refine(
      (n) =>
        n.sizes[n.sizes.length - 1] === 1 &&
        n.sizes.slice(1).every((s) => s >= 1) &&
        n.weights.length === linkCount(n.sizes) &&
        n.biases.length === n.sizes.slice(1).reduce((a, b) => a + b, 0) &&
        n.dead.every((i) => i < n.weights.length),
      { message: 'weights, biases and dead links must fit the layer sizes' },
    ),
  );
export type NetworkDrawing = z.infer<typeof NetworkDrawing>;

/** Train and test loss (TF Playground's mean ½·(output − label)²) per epoch, as columns. */
export const LossPoints = z
  .object({
    epoch: z.array(Count).check(z.maxLength(LIMITS.lossPoints)),
    train: z.array(MaybeNumber).check(z.maxLength(LIMITS.lossPoints)),
    test: z.array(MaybeNumber).check(z.maxLength(LIMITS.lossPoints)),
  })
  .check(
    z.refine((p) => p.train.length === p.epoch.length && p.test.length === p.epoch.length && p.epoch.every((e, i) => i === 0 || e > p.epoch[i - 1]!), {
      message: 'columns of equal length with increasing epochs',
    }),
  );
export type LossPoints = z.infer<typeof LossPoints>;

const Coordinates = z.array(z.number()).check(z.maxLength(LIMITS.points));
export const PointColumns = z
  .object({ x1: Coordinates, x2: Coordinates, label: Coordinates })
  .check(z.refine((p) => p.x2.length === p.x1.length && p.label.length === p.x1.length, { message: 'columns of equal length' }));
export type PointColumns = z.infer<typeof PointColumns>;

export const DataPoints = z.object({ train: PointColumns, test: PointColumns });
export type DataPoints = z.infer<typeof DataPoints>;

/** Which engine trains, on which TensorFlow.js backend, and why. */
export const EngineInfo = z.object({
  engine: z.enum(ENGINES),
  /** "float64 JavaScript" for the exact trainer; the TensorFlow.js backend otherwise. */
  backend: z.string().check(z.maxLength(100)),
  reason: Text,
  versions: z.record(z.string().check(z.maxLength(40)), z.string().check(z.maxLength(40))),
});
export type EngineInfo = z.infer<typeof EngineInfo>;

export const CHANGE_EFFECTS = ['init', 'none', 'live', 'reset', 'regenerate'] as const;

/**
 * The playground's settings and where training stands. `generation` counts weight resets: a frame of
 * an older generation belongs to a network that no longer exists and is dropped.
 */
const STATE_FIELDS = {
  generation: Count,
  config: PlaygroundConfig,
  /** What the last change took ('init' for a fresh start). */
  effect: z.enum(CHANGE_EFFECTS),
  epoch: Count,
  playing: z.boolean(),
  speed: Speed,
  engine: z.enum(ENGINES),
  /** Present when the data changed (and always in a snapshot). */
  points: z.optional(DataPoints),
  /** The preset the settings came from, if any. */
  presetId: z.optional(z.nullable(z.string().check(z.maxLength(100)))),
};

/** One picture of the training: losses since the previous frame, heat maps and the network. */
const FRAME_FIELDS = {
  seq: Count,
  generation: Count,
  epoch: Count,
  trainLoss: MaybeNumber,
  testLoss: MaybeNumber,
  losses: LossPoints,
  heatmap: HeatMap,
  neurons: NeuronMaps,
  network: NetworkDrawing,
  /** Measured over the last second while playing; 0 when paused. */
  epochsPerSecond: z.number().check(z.minimum(0)),
  /** TensorFlow.js only: largest difference between its losses and the exact trainer's since the engine switched. */
  agreement: z.optional(MaybeNumber),
};

// ── host → child ───────────────────────────────────────────────────────────────────────────────

// host → child, first: the settings to start from and how to stream.
export const InitMessage = z
  .object({
    type: z.literal('init'),
    config: PlaygroundConfig,
    engine: z.enum(ENGINES),
    speed: Speed,
    /** Least time between two frames (ms); 1000/60 streams at the display's rate. */
    frameMs: z.number().check(z.minimum(0), z.maximum(10_000)),
    density: z.int().check(z.minimum(2), z.maximum(LIMITS.maxDensity)),
    nodeDensity: z.int().check(z.minimum(2), z.maximum(LIMITS.maxNodeDensity)),
    presetId: z.optional(z.nullable(z.string().check(z.maxLength(100)))),
  })
  .check(
    z.refine((m) => (m.density - 1) % (m.nodeDensity - 1) === 0, {
      message: "the neurons' grid must sit on the heat map's grid: (density − 1) divisible by (nodeDensity − 1)",
    }),
  );
// host → child: train continuously / stop training.
export const PlayMessage = z.object({ type: z.literal('play') });
export const PauseMessage = z.object({ type: z.literal('pause') });
// host → child (and webview → host): train this many epochs now, pausing first.
export const StepMessage = z.object({ type: z.literal('step'), epochs: z.optional(z.int().check(z.minimum(1), z.maximum(LIMITS.maxEpochsPerStep))) });
// host → child (and webview → host): new initial weights from the seeded stream.
export const ResetMessage = z.object({ type: z.literal('reset') });
// host → child: change settings; `restart` rebuilds data and weights from the seed, as if just opened (a preset).
export const UpdateMessage = z.object({
  type: z.literal('update'),
  changes: PlaygroundConfigChange,
  restart: z.optional(z.boolean()),
  presetId: z.optional(z.nullable(z.string().check(z.maxLength(100)))),
});
// host → child (and webview → host): train with the other engine from the current weights.
export const EngineMessage = z.object({ type: z.literal('engine'), engine: z.enum(ENGINES) });
// host → child (and webview → host): epochs per second to aim for.
export const SpeedMessage = z.object({ type: z.literal('speed'), speed: Speed });
// host → child: the frame `seq` was taken; the next one may be sent (one frame in flight at most).
export const AckMessage = z.object({ type: z.literal('ack'), seq: Count });

export const HostToChild = z.discriminatedUnion('type', [
  InitMessage,
  PlayMessage,
  PauseMessage,
  StepMessage,
  ResetMessage,
  UpdateMessage,
  EngineMessage,
  SpeedMessage,
  AckMessage,
]);
export type HostToChild = z.infer<typeof HostToChild>;
export type InitMessage = z.infer<typeof InitMessage>;

// ── child → host ───────────────────────────────────────────────────────────────────────────────

// child → host: settings applied (after init, a change, a reset, play or pause); points when the data changed.
export const ChildStateMessage = z.object({ type: z.literal('state'), ...STATE_FIELDS });
// child → host: a frame, at most one in flight (the host acks it) and at most one per frameMs.
export const ChildFrameMessage = z.object({ type: z.literal('frame'), ...FRAME_FIELDS });
// child → host: the engine that trains now (after init and after a switch, once TensorFlow.js loaded).
export const ChildEngineMessage = z.object({ type: z.literal('engine'), info: EngineInfo });
// child → host: something for the learner or the log (a diverged loss, a refused change).
export const ChildLogMessage = z.object({ type: z.literal('log'), level: z.enum(['info', 'warn', 'error']), message: Text });

export const ChildToHost = z.discriminatedUnion('type', [ChildStateMessage, ChildFrameMessage, ChildEngineMessage, ChildLogMessage]);
export type ChildToHost = z.infer<typeof ChildToHost>;
export type ChildStateMessage = z.infer<typeof ChildStateMessage>;
export type ChildFrameMessage = z.infer<typeof ChildFrameMessage>;

// ── host → webview ─────────────────────────────────────────────────────────────────────────────

// host → webview: everything to show (answer to `ready`): state with points, the loss curve so far, the last frame.
export const SnapshotMessage = z.object({
  type: z.literal('snapshot'),
  state: z.object({ ...STATE_FIELDS, points: DataPoints }),
  history: LossPoints,
  frame: z.nullable(z.object(FRAME_FIELDS)),
  engineInfo: z.nullable(EngineInfo),
});
// host → webview: settings or play state changed; points when the data changed.
export const StateMessage = ChildStateMessage;
// host → webview: the newest frame; the webview answers `frameDone` after drawing it, and frames
// produced meanwhile are merged into one (losses appended), so nothing queues.
export const FrameMessage = ChildFrameMessage;
// host → webview: which engine trains and why.
export const EngineInfoMessage = ChildEngineMessage;
// host → webview: a line for the learner (export done, a refused change, the trainer stopped).
export const NoticeMessage = z.object({ type: z.literal('notice'), level: z.enum(['info', 'warn', 'error']), text: Text });

export const HostToWebview = z.discriminatedUnion('type', [SnapshotMessage, StateMessage, FrameMessage, EngineInfoMessage, NoticeMessage]);
export type HostToWebview = z.infer<typeof HostToWebview>;
export type SnapshotMessage = z.infer<typeof SnapshotMessage>;
/** A frame's content, without the message's type (as a snapshot carries it). */
export type FrameData = Omit<z.infer<typeof ChildFrameMessage>, 'type'>;
export type StateData = z.infer<typeof ChildStateMessage>;

// ── webview → host ─────────────────────────────────────────────────────────────────────────────

// webview → host: the page is listening; the host answers with a snapshot.
export const ReadyMessage = z.object({ type: z.literal('ready') });
// webview → host: change settings (a control moved).
export const ChangeMessage = z.object({ type: z.literal('change'), changes: PlaygroundConfigChange });
// webview → host: load a preset of the course.
export const PresetMessage = z.object({ type: z.literal('preset'), id: z.string().check(z.minLength(1), z.maxLength(100)) });
// webview → host: write the network as TensorFlow.js code into the learner's lab file.
export const ExportMessage = z.object({ type: z.literal('export') });
// webview → host: frame `seq` is drawn; send the next.
export const FrameDoneMessage = z.object({ type: z.literal('frameDone'), seq: Count });

export const WebviewToHost = z.discriminatedUnion('type', [
  ReadyMessage,
  PlayMessage,
  PauseMessage,
  StepMessage,
  ResetMessage,
  ChangeMessage,
  PresetMessage,
  EngineMessage,
  SpeedMessage,
  ExportMessage,
  FrameDoneMessage,
]);
export type WebviewToHost = z.infer<typeof WebviewToHost>;

// ── view state ─────────────────────────────────────────────────────────────────────────────────

/** What the webview saves with setState; VS Code hands it to the serializer after a reload. */
export const PlaygroundViewState = z.object({
  version: z.literal(1),
  config: PlaygroundConfig,
  presetId: z.optional(z.nullable(z.string().check(z.maxLength(100)))),
  engine: z.optional(z.enum(ENGINES)),
  speed: z.optional(Speed),
  showTest: z.optional(z.boolean()),
  discretize: z.optional(z.boolean()),
});
export type PlaygroundViewState = z.infer<typeof PlaygroundViewState>;

/** What `mllabs.openPlayground` accepts, e.g. `{ preset: 'l1-sparsity' }` from a lab's instructions. */
export const OpenPlaygroundArgs = z.object({
  preset: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
  config: z.optional(PlaygroundConfigChange),
  engine: z.optional(z.enum(ENGINES)),
});
export type OpenPlaygroundArgs = z.infer<typeof OpenPlaygroundArgs>;

// ── parsing ────────────────────────────────────────────────────────────────────────────────────

export type Parsed<T> = { ok: true; message: T } | { ok: false; reason: string };

interface Issue {
  path: PropertyKey[];
  message: string;
}

/** Why a message was dropped, for the log: its type and the first problem, never the payload. */
function describe(raw: unknown, issues: readonly Issue[]): string {
  const type = typeof raw === 'object' && raw !== null && 'type' in raw ? String((raw as { type: unknown }).type).slice(0, 40) : typeof raw;
  const issue = issues[0];
  const where = issue && issue.path.length ? issue.path.map(String).join('.') : '(message)';
  return `"${type}": ${where}: ${issue?.message ?? 'invalid'}`;
}

function parser<T>(schema: z.ZodMiniType<T>): (raw: unknown) => Parsed<T> {
  return (raw) => {
    const r = schema.safeParse(raw);
    return r.success ? { ok: true, message: r.data } : { ok: false, reason: describe(raw, r.error.issues) };
  };
}

export const parseHostToChild = parser(HostToChild);
export const parseChildToHost = parser(ChildToHost);
export const parseHostToWebview = parser(HostToWebview);
export const parseWebviewToHost = parser(WebviewToHost);

/** The saved state, or undefined when missing or from another version. */
export function parseViewState(raw: unknown): PlaygroundViewState | undefined {
  const r = PlaygroundViewState.safeParse(raw);
  return r.success ? r.data : undefined;
}
