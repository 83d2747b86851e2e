// The diagnosis of a failed check: of the causes the check lists (general ones, or the lab's own from
// lab.json), the first that the run's evidence shows — with the numbers that show it, the knob that
// fixes it and where that knob is in the learner's file. When a second cause fits too, the hint says
// what points to it, briefly. No cause shown: the check's own hint, which stays general.
import type { Check, LabManifest, LabRule } from '../lab/manifest';
import type { Hyperparameters, Metrics } from '../run/protocol';
import { locateExport, locatePattern, locateValue, type SourceRange } from '../source/locate';
import { causeById, ROOT_CAUSES, type CauseContext, type Explanation, type Knob } from './causes';

export interface Diagnosis {
  cause: string;
  hint: string;
  location?: SourceRange;
}

function holds(rule: LabRule, outputs: Metrics, hp: Hyperparameters): boolean {
  return rule.when.every((c) => {
    if ('output' in c) {
      let v = outputs[c.output];
      if (typeof v !== 'number' || !Number.isFinite(v)) return false;
      if (c.ratioTo !== undefined) {
        const b = outputs[c.ratioTo];
        if (typeof b !== 'number' || !Number.isFinite(b) || b === 0) return false;
        v = v / b;
      }
      return (c.min === undefined || v >= c.min) && (c.max === undefined || v <= c.max);
    }
    const v = hp[c.hp];
    if (c.equals !== undefined && v !== c.equals) return false;
    if (c.min !== undefined || c.max !== undefined) {
      if (typeof v !== 'number') return false;
      return (c.min === undefined || v >= c.min) && (c.max === undefined || v <= c.max);
    }
    return v !== undefined;
  });
}

function fillRule(text: string, outputs: Metrics, hp: Hyperparameters, format: (name: string, v: number) => string): string {
  return text.replace(/\{(output|hp)\.([\w@]+)\}/g, (whole, kind: string, name: string) => {
    const v = kind === 'hp' ? hp[name] : outputs[name];
    if (v === undefined || v === null) return whole;
    // A hyperparameter reads as the learner wrote it (0.0001, not 1.0e-4), as in a check's own hint.
    return typeof v === 'number' && kind === 'output' ? format(name, v) : String(v);
  });
}

function locate(knob: Knob, file: string, source: string | undefined): SourceRange | undefined {
  if (source === undefined) return undefined;
  if ('export' in knob) return locateExport(file, source, knob.export);
  if ('value' in knob) return locateValue(file, source, knob.value) ?? locateExport(file, source, 'hyperparameters');
  return locatePattern(file, source, knob.pattern);
}

/** Causes that read a still-falling curve: one of them says all there is to say. */
const SAME_READING = new Set(['too-few-epochs', 'rate-too-low']);

export interface DiagnosisInput {
  manifest: LabManifest;
  context: CauseContext;
  sources: Record<string, string | undefined>;
  format: (name: string, value: number) => string;
}

function explain(id: string, input: DiagnosisInput): (Explanation & { at?: { file: string; pattern: string } }) | undefined {
  // Several of a lab's diagnoses may name one cause (a ratio too high, or too low, each with its own
  // words): the first whose conditions hold speaks for it.
  const rules = input.manifest.diagnoses.filter((r) => r.id === id);
  if (rules.length > 0) {
    const rule = rules.find((r) => holds(r, input.context.outputs, input.context.hyperparameters));
    if (!rule) return undefined;
    return {
      text: fillRule(rule.text, input.context.outputs, input.context.hyperparameters, input.format),
      knob: { pattern: rule.at?.pattern ?? '' },
      ...(rule.at ? { at: rule.at } : {}),
    };
  }
  return causeById(id)?.explain(input.context);
}

/** The first cause of `check.causes` that the evidence shows, or undefined. */
export function diagnose(check: Check, input: DiagnosisInput): Diagnosis | undefined {
  const found: { id: string; e: Explanation & { at?: { file: string; pattern: string } } }[] = [];
  for (const id of check.causes ?? []) {
    // A cause the first one already names as its root (stuck, because the rate is too high) is not a second one.
    if (found.length === 1 && found[0].e.rootCause === id) continue;
    const e = explain(id, input);
    // Nor is a symptom whose root is the first cause (learned nothing, because the rate is too high).
    if (e && found.length === 1 && e.rootCause === found[0].id) continue;
    if (e) found.push({ id, e });
    if (found.length === 2) break;
  }
  if (found.length === 0) return undefined;
  const [first, second] = found;
  const file = first.e.at?.file ?? input.manifest.files[0];
  const location = first.e.at
    ? locatePattern(first.e.at.file, input.sources[first.e.at.file] ?? '', first.e.at.pattern)
    : locate(first.e.knob, file, input.sources[file]);
  // A second cause is worth a word only if it is not a symptom of the first (a curve that bounces
  // because the inputs are unscaled needs no second advice about the rate).
  // Nor when both read the same curve the same way (still falling: more epochs, or a higher rate).
  const independent = second && !(ROOT_CAUSES.has(first.id) && !ROOT_CAUSES.has(second.id)) && !(SAME_READING.has(first.id) && SAME_READING.has(second.id));
  const also = independent ? ` Another cause shows too: ${second.e.text.split(/(?<=\.)\s/)[0]}` : '';
  return { cause: first.e.rootCause ?? first.id, hint: first.e.text + also, ...(location ? { location } : {}) };
}
