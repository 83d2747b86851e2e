// What a study chart draws, from the study: for the objective chart every trial in trial order
// with the best-so-far line; for a parameter's chart the trials with a value, placed by the
// parameter (categories by position). One array per series, completed and pruned apart.
import { bestSoFar, categoryPosition, paramAxis } from '../../src/core/dashboard/studyModel';
import type { StudyDetail, StudyParam, StudyTrial } from '../../src/core/dashboard/records';

/** Series of every chart, in order; the objective chart adds the best-so-far line before the ring. */
export const COMPLETED = 'completed';
export const PRUNED = 'pruned';
export const BEST_SO_FAR = 'best so far';
export const BEST = 'best trial';

/** What the chart draws: one x per trial shown, one array per series. */
export interface Plot {
  x: number[];
  trials: StudyTrial[];
  series: { label: string; values: (number | null)[] }[];
  categories?: string[];
}

export const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function hasObjective(t: StudyTrial): t is StudyTrial & { objective: number } {
  return (t.state === 'completed' || t.state === 'pruned') && finite(t.objective);
}

export function objectivePlot(study: StudyDetail): Plot {
  const best = study.best?.number;
  // Every trial has a place on the x axis, so gaps show trials without a value (failed, running).
  const trials = study.trials;
  const so = bestSoFar(trials, study.goal);
  return {
    x: trials.map((t) => t.number),
    trials,
    series: [
      { label: COMPLETED, values: trials.map((t) => (t.state === 'completed' && finite(t.objective) ? t.objective : null)) },
      { label: PRUNED, values: trials.map((t) => (t.state === 'pruned' && finite(t.objective) ? t.objective : null)) },
      { label: BEST_SO_FAR, values: so },
      { label: BEST, values: trials.map((t) => (t.number === best && finite(t.objective) ? t.objective : null)) },
    ],
  };
}

export function paramPlot(study: StudyDetail, p: StudyParam): Plot {
  const best = study.best?.number;
  const axis = paramAxis(p);
  const categories = axis === 'category' ? (p.values ?? []).map(String) : undefined;
  const placed: { x: number; t: StudyTrial & { objective: number } }[] = [];
  for (const t of study.trials) {
    if (!hasObjective(t) || !Object.hasOwn(t.params, p.name)) continue;
    const v = t.params[p.name];
    let x: number;
    if (categories) {
      const i = categories.indexOf(String(v));
      if (i < 0) continue;
      x = categoryPosition(i, t.number);
    } else {
      if (!finite(v) || (axis === 'log' && v <= 0)) continue;
      x = v;
    }
    placed.push({ x, t });
  }
  placed.sort((a, b) => a.x - b.x || a.t.number - b.t.number);
  const trials = placed.map((p) => p.t);
  return {
    x: placed.map((p) => p.x),
    trials,
    categories,
    series: [
      { label: COMPLETED, values: trials.map((t) => (t.state === 'completed' ? t.objective : null)) },
      { label: PRUNED, values: trials.map((t) => (t.state === 'pruned' ? t.objective : null)) },
      { label: BEST, values: trials.map((t) => (t.number === best ? t.objective : null)) },
    ],
  };
}
