// A lab's hyperparameter studies as the dashboard shows them: which folders are studies, whether their
// files changed, and their summaries and details, bounded and checked against the message schema.
import * as fs from 'fs';
import * as path from 'path';
import { listLabDir } from '../files/labFiles';
import { LIMITS, StudyDetail, StudyId, type StudyParam, type StudySummary, type StudyTrial } from './records';
import { objectiveFormat } from './studyModel';
import type { LabManifest } from '../lab/manifest';
import { DEFAULT_METRIC_TAG } from '../tuner/labTuning';
import { JOURNAL_FILE, samplerKind, SPEC_FILE, studiesRoot, type StudySnapshot, type Trial } from '../tuner';
import { LOCK_FILE } from '../tuner/storage';

/** The folders of `<lab>/.mllabs/studies/` that can be studies, by name (oldest first: ids start with the time). */
export function studyIds(labDir: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = listLabDir(labDir, path.relative(labDir, studiesRoot(labDir)).split(path.sep).join('/'));
  } catch {
    return [];
  }
  return entries
    .filter((e) => e.isDirectory() && StudyId.safeParse(e.name).success)
    .map((e) => e.name)
    .sort((a, b) => a.localeCompare(b));
}

/**
 * Changes whenever a study's files do: the journal grows with every trial event, the spec is
 * rewritten on resume, the lock comes and goes with the process that runs it. Cheap (three stats),
 * so the dashboard re-reads only the studies that changed.
 */
export function studyStamp(labDir: string, id: string): string {
  const dir = path.join(studiesRoot(labDir), id);
  return [SPEC_FILE, JOURNAL_FILE, LOCK_FILE]
    .map((f) => {
      try {
        const st = fs.lstatSync(path.join(dir, f));
        return `${st.size}:${st.mtimeMs}`;
      } catch {
        return '-';
      }
    })
    .join('|');
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function studyParam(p: StudySnapshot['spec']['params'][number]): StudyParam {
  const out: StudyParam = { name: p.parameterName, type: p.type };
  if (p.type !== 'CATEGORICAL') out.scale = p.scaleType ?? 'UNIT_LINEAR_SCALE';
  if (finite(p.minValue)) out.min = p.minValue;
  if (finite(p.maxValue)) out.max = p.maxValue;
  const values = p.type === 'CATEGORICAL' ? p.categoricalValues : p.type === 'DISCRETE' ? p.discreteValues : undefined;
  if (values) out.values = values.slice(0, LIMITS.paramValues).map((v) => (typeof v === 'string' ? clip(v, 1000) : v));
  return out;
}

function studyTrial(t: Trial): StudyTrial {
  const params: StudyTrial['params'] = {};
  for (const [k, v] of Object.entries(t.params)) params[k] = typeof v === 'string' ? clip(v, 1000) : v;
  const out: StudyTrial = { number: t.number, state: t.state, params, steps: t.intermediate.length, createdAt: clip(t.createdAt, 100) };
  if (t.objective !== undefined) out.objective = finite(t.objective) ? t.objective : null;
  if (finite(t.durationMs) && t.durationMs >= 0) out.durationMs = t.durationMs;
  if (t.error) out.error = clip(t.error, LIMITS.trialError);
  const last = t.intermediate[t.intermediate.length - 1];
  if (last && finite(last.step)) out.lastStep = last.step;
  if (t.retryOf !== undefined) out.retryOf = t.retryOf;
  return out;
}

/** What the study selector shows: counts, best and whether a process runs the study now. */
export function studySummary(s: StudySnapshot, manifest?: Pick<LabManifest, 'labelUnit'>): StudySummary {
  const counts: StudySummary['counts'] = { running: 0, completed: 0, pruned: 0, failed: 0, interrupted: 0 };
  for (const t of s.trials) counts[t.state]++;
  const metric = clip(s.spec.hyperparameterMetricTag ?? DEFAULT_METRIC_TAG, 200);
  const summary: StudySummary = {
    id: s.id,
    goal: s.spec.goal,
    metric,
    format: objectiveFormat(metric, manifest?.labelUnit),
    sampler: samplerKind(s.spec),
    maxTrials: s.spec.maxTrials,
    maxParallelTrials: s.spec.maxParallelTrials,
    earlyStopping: s.spec.enableTrialEarlyStopping,
    counts,
    active: s.activePid !== undefined,
  };
  if (s.best && finite(s.best.objective)) summary.best = { number: s.best.number, objective: s.best.objective };
  if (s.trials[0]) summary.startedAt = clip(s.trials[0].createdAt, 100);
  return summary;
}

/**
 * A study as the webview shows it, checked against the message schema: a study the webview would
 * refuse (a parameter named "__proto__"…) is reported here rather than silently dropped there.
 */
export function studyDetail(s: StudySnapshot, manifest?: Pick<LabManifest, 'labelUnit'>): { ok: true; study: StudyDetail } | { ok: false; reason: string } {
  const warnings = s.warnings.slice(0, 99).map((w) => clip(w, LIMITS.text));
  let trials = s.trials;
  if (trials.length > LIMITS.trials) {
    warnings.push(`only the last ${LIMITS.trials} of ${trials.length} trials are shown`);
    trials = trials.slice(-LIMITS.trials);
  }
  const summary = studySummary(s, manifest);
  // A best trial cut off above is not in the table, so it is not marked either.
  if (summary.best && !trials.some((t) => t.number === summary.best!.number)) delete summary.best;
  const candidate = { ...summary, params: s.spec.params.slice(0, LIMITS.params).map(studyParam), trials: trials.map(studyTrial), warnings };
  const parsed = StudyDetail.safeParse(candidate);
  if (parsed.success) return { ok: true, study: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, reason: `${issue?.path.map(String).join('.') || '(study)'}: ${issue?.message ?? 'invalid'}` };
}
