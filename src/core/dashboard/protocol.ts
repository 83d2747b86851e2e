// The messages between the extension host and the dashboard webview. One schema per message, one
// union per direction with `type` as the discriminant; both ends import this file and validate every
// message they receive, dropping (and logging) anything that does not parse.
// Browser-safe: imports only zod and other browser-safe schemas.
import * as z from 'zod/mini';
import '../zodMessages';
import { GradeReport } from '../grade/report';
import {
  CHART_KINDS,
  ChartList,
  count,
  EpochColumns,
  Id,
  LabInfo,
  LIMITS,
  maxString,
  RunInfo,
  RunSnapshot,
  StudyDetail,
  StudyId,
  StudyList,
  Text,
} from './records';

// ── host → webview ─────────────────────────────────────────────────────────────────────────────

// host → webview: everything to show, replacing what the webview holds (answer to `ready`, or a lab switch).
export const SnapshotMessage = z.object({
  type: z.literal('snapshot'),
  lab: LabInfo,
  charts: ChartList,
  runs: z.array(RunSnapshot).check(z.maxLength(LIMITS.runs)),
  /** Run files that could not be read, for the learner to see. */
  warnings: z.array(Text).check(z.maxLength(100)),
  /** The lab's hyperparameter studies, oldest first. */
  studies: z.optional(StudyList),
});

// host → webview: a run appeared or changed (status, backend, hyperparameters, marker); epochs come separately.
export const RunMessage = z.object({ type: z.literal('run'), run: RunInfo });

// host → webview: epochs appended to a run, batched; epochs the webview already has are replaced, not duplicated.
export const EpochsMessage = z.object({ type: z.literal('epochs'), runId: Id, epochs: EpochColumns });

// host → webview: a run's grade, with a hint for every failed check.
export const GradeMessage = z.object({ type: z.literal('grade'), runId: Id, grade: GradeReport });

// host → webview: the charts of the lab changed (e.g. the first accuracy values arrived).
export const ChartsMessage = z.object({ type: z.literal('charts'), charts: ChartList });

// host → webview: the lab's studies changed (one appeared, or its counts, best or activity changed); replaces the list.
export const StudiesMessage = z.object({ type: z.literal('studies'), studies: StudyList });

// host → webview: one study in full, answering `selectStudy`, and again whenever its files change while it is shown.
export const StudyMessage = z.object({ type: z.literal('study'), study: StudyDetail });

export const HostToWebview = z.discriminatedUnion('type', [
  SnapshotMessage,
  RunMessage,
  EpochsMessage,
  GradeMessage,
  ChartsMessage,
  StudiesMessage,
  StudyMessage,
]);
export type HostToWebview = z.infer<typeof HostToWebview>;
export type SnapshotMessage = z.infer<typeof SnapshotMessage>;
export type EpochsMessage = z.infer<typeof EpochsMessage>;
export type StudiesMessage = z.infer<typeof StudiesMessage>;
export type StudyMessage = z.infer<typeof StudyMessage>;

// ── webview → host ─────────────────────────────────────────────────────────────────────────────

// webview → host: the page is listening; the host answers with a snapshot.
export const ReadyMessage = z.object({ type: z.literal('ready') });

// webview → host: the learner showed or hid a run's curves.
export const ToggleRunMessage = z.object({ type: z.literal('toggleRun'), runId: Id, visible: z.boolean() });

// webview → host: the learner selected a run (its grade is shown).
export const SelectRunMessage = z.object({ type: z.literal('selectRun'), runId: Id });

// webview → host: save the metrics of these runs as CSV (the host reads them from the run files).
export const ExportCsvMessage = z.object({ type: z.literal('exportCsv'), runIds: z.array(Id).check(z.maxLength(LIMITS.runs)) });

export const PNG_DATA_URL_PREFIX = 'data:image/png;base64,';
// webview → host: save this rendering of a chart as a PNG file.
export const SavePngMessage = z.object({
  type: z.literal('savePng'),
  chart: z.enum(CHART_KINDS),
  dataUrl: z.string().check(
    z.maxLength(LIMITS.pngDataUrl),
    z.refine(
      (s) => s.length <= LIMITS.pngDataUrl && s.startsWith(PNG_DATA_URL_PREFIX) && /^[A-Za-z0-9+/]+={0,2}$/.test(s.slice(PNG_DATA_URL_PREFIX.length)),
      'expected a base64 data URL of type image/png',
    ),
  ),
});

// webview → host: open the code a run ran (its source/ folder), or compare it with the previous run's.
export const OpenRunCodeMessage = z.object({ type: z.literal('openRunCode'), runId: Id, compare: z.boolean() });

// webview → host: open the learner's file at a check's location.
export const OpenLocationMessage = z.object({
  type: z.literal('openLocation'),
  /** Relative to the lab folder; the host refuses anything outside it. */
  file: z.string().check(
    z.minLength(1),
    z.maxLength(1000),
    z.refine((p) => !/^([\\/]|[A-Za-z]:)/.test(p) && !p.split(/[\\/]/).includes('..'), 'must be a path inside the lab folder'),
  ),
  line: count(),
  column: count(),
  endLine: z.optional(count()),
  endColumn: z.optional(count()),
});

// webview → host: the learner switched to a study (null: back to the runs); the host sends it and keeps it current.
export const SelectStudyMessage = z.object({ type: z.literal('selectStudy'), studyId: z.nullable(StudyId) });

// webview → host: write the best trial's values into the learner's code. The host re-reads the study and
// applies them only if `trial` is still its best, so what is written is what the learner saw.
export const ApplyBestMessage = z.object({ type: z.literal('applyBest'), studyId: StudyId, trial: count() });

export const WebviewToHost = z.discriminatedUnion('type', [
  ReadyMessage,
  ToggleRunMessage,
  SelectRunMessage,
  ExportCsvMessage,
  SavePngMessage,
  OpenLocationMessage,
  OpenRunCodeMessage,
  SelectStudyMessage,
  ApplyBestMessage,
]);
export type WebviewToHost = z.infer<typeof WebviewToHost>;
export type SavePngMessage = z.infer<typeof SavePngMessage>;
export type OpenLocationMessage = z.infer<typeof OpenLocationMessage>;
export type OpenRunCodeMessage = z.infer<typeof OpenRunCodeMessage>;
export type ApplyBestMessage = z.infer<typeof ApplyBestMessage>;

// ── view state ─────────────────────────────────────────────────────────────────────────────────

/** What the webview saves with setState; VS Code hands it back to the serializer after a reload. */
export const DashboardViewState = z.object({
  version: z.literal(1),
  folder: z.optional(maxString(4096)),
  smoothing: z.number().check(z.gte(0), z.lte(1)),
  logScale: z.boolean(),
  hidden: z.array(Id).check(z.maxLength(LIMITS.runs)),
  selected: z.optional(Id),
  /** The study shown instead of the runs. */
  study: z.optional(StudyId),
  /** The studies' objective axes on a log scale. */
  studyLogScale: z.optional(z.boolean()),
});
export type DashboardViewState = z.infer<typeof DashboardViewState>;

export const DEFAULT_VIEW_STATE: DashboardViewState = { version: 1, smoothing: 0.6, logScale: false, hidden: [] };

// ── parsing ────────────────────────────────────────────────────────────────────────────────────

export type Parsed<T> = { ok: true; message: T } | { ok: false; reason: string };

/** A short description of why a message was dropped, for the log (never the whole payload). */
function describe(raw: unknown, error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string {
  const type = typeof raw === 'object' && raw !== null && 'type' in raw ? String((raw as { type: unknown }).type).slice(0, 40) : typeof raw;
  const issue = error.issues[0];
  const where = issue && issue.path.length ? issue.path.map(String).join('.') : '(message)';
  return `"${type}": ${where}: ${issue?.message ?? 'invalid'}`;
}

export function parseHostToWebview(raw: unknown): Parsed<HostToWebview> {
  const r = HostToWebview.safeParse(raw);
  return r.success ? { ok: true, message: r.data } : { ok: false, reason: describe(raw, r.error) };
}

export function parseWebviewToHost(raw: unknown): Parsed<WebviewToHost> {
  const r = WebviewToHost.safeParse(raw);
  return r.success ? { ok: true, message: r.data } : { ok: false, reason: describe(raw, r.error) };
}
