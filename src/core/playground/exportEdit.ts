// "Export to code" decisions that need no editor: which of the learner's files to write into, the
// names the exported block may use without clashing with the learner's own, and the smallest edit
// that turns the file's text into the new text (so undo restores exactly what was there).
import { EXPORT_BEGIN, EXPORT_END, writeExportInto, type ExportedConfig, type ExportOptions } from './exportCode';

/** The names the exported block declares. */
const EXPORTED_NAMES = { build: 'buildModel', features: ['FEATURES', 'featuresOf'], compile: 'compileModel' } as const;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The file without an earlier exported block (which the new export replaces). */
function outsideBlock(text: string): string {
  const begin = text.indexOf(EXPORT_BEGIN);
  const end = begin < 0 ? -1 : text.indexOf(EXPORT_END, begin);
  return begin >= 0 && end >= 0 ? text.slice(0, begin) + text.slice(end + EXPORT_END.length) : text;
}

/** Whether the text declares or imports `name` at any level (a clash either way). */
export function declares(text: string, name: string): boolean {
  const n = escapeRegExp(name);
  return (
    new RegExp(`\\b(?:function\\*?|const|let|var|class|interface|type|enum|namespace)\\s+${n}\\b`).test(text) ||
    new RegExp(`\\bimport\\b[^;]*?\\b${n}\\b[^;]*?\\bfrom\\b`).test(text)
  );
}

/** Options for exportModelCode that clash with nothing the learner wrote. */
export function exportOptionsFor(fileText: string): ExportOptions {
  const rest = outsideBlock(fileText);
  let functionName: string = EXPORTED_NAMES.build;
  for (let k = 1; declares(rest, functionName); k++) functionName = k === 1 ? 'buildPlaygroundModel' : `buildPlaygroundModel${k}`;
  return {
    functionName,
    includeFeatures: !EXPORTED_NAMES.features.some((n) => declares(rest, n)),
    includeCompile: !declares(rest, EXPORTED_NAMES.compile),
  };
}

export interface TextEdit {
  /** Offsets into the old text. */
  start: number;
  end: number;
  text: string;
}

/** The one replacement that turns `before` into `after`: common prefix and suffix left alone. */
export function minimalEdit(before: string, after: string): TextEdit {
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let tail = 0;
  while (tail < max - start && before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)) tail++;
  // Keep a surrogate pair whole, so the edit never splits a character.
  if (start > 0 && isHighSurrogate(before.charCodeAt(start - 1))) start--;
  if (tail > 0 && isLowSurrogate(before.charCodeAt(before.length - tail))) tail--;
  return { start, end: before.length - tail, text: after.slice(start, after.length - tail) };
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}
function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

export interface ExportPlan {
  /** The whole new text. */
  text: string;
  /** The smallest edit from the old text to it. */
  edit: TextEdit;
  /** True when an earlier export was replaced (not appended). */
  replaced: boolean;
  functionName: string;
}

/** The learner's file with the network written in (between the markers), and the edit that does it. */
export function planExport(fileText: string, config: ExportedConfig): ExportPlan {
  const options = exportOptionsFor(fileText);
  const text = writeExportInto(fileText, config, options);
  const begin = fileText.indexOf(EXPORT_BEGIN);
  const replaced = begin >= 0 && fileText.indexOf(EXPORT_END, begin) >= 0;
  return { text, edit: minimalEdit(fileText, text), replaced, functionName: options.functionName! };
}

// ── which lab ────────────────────────────────────────────────────────────────────────────────────

export interface ExportCandidate {
  /** Absolute path of a file the lab's manifest lists as the learner's. */
  file: string;
  labDir: string;
  labId: string;
  /** Some run of this lab folder passed: writing into it changes code that passed. */
  passed?: boolean;
}

/** What "Export to code" offers, best first. Nothing is chosen for the learner: a visible file is no answer. */
export type ExportOption =
  | { kind: 'file'; candidate: ExportCandidate; ofPreset: boolean }
  /** The preset's lab has no folder in the workspace yet: start it, then write into its entry file. */
  | { kind: 'start'; labId: string };

const CODE_FILE = /\.(ts|tsx|js|mjs|cjs)$/i;

/**
 * The files the network can go into: the preset's own lab first (or starting it, when the workspace
 * has no folder of it), then the other labs' code files, those that passed last.
 */
export function exportOptions(
  candidates: readonly ExportCandidate[],
  context: { presetLab?: string; canStart?: (labId: string) => boolean } = {},
): ExportOption[] {
  const code = candidates.filter((c) => CODE_FILE.test(c.file));
  const ofPreset = context.presetLab ? code.filter((c) => c.labId === context.presetLab) : [];
  const others = code.filter((c) => !ofPreset.includes(c)).sort((a, b) => Number(!!a.passed) - Number(!!b.passed));
  const options: ExportOption[] = ofPreset.map((candidate) => ({ kind: 'file', candidate, ofPreset: true }));
  if (context.presetLab && ofPreset.length === 0 && (context.canStart?.(context.presetLab) ?? true)) options.push({ kind: 'start', labId: context.presetLab });
  for (const candidate of others) options.push({ kind: 'file', candidate, ofPreset: false });
  return options;
}

/** Lines of text in an edit's replacement (what the learner reads as "wrote N lines"). */
export function lineCount(text: string): number {
  if (text === '') return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

/** "7 inputs → 6 → 6 → 1 (tanh), L1 at 0.01": the exported network in one line. */
export function describeNetwork(config: Pick<ExportedConfig, 'features' | 'hidden' | 'activation' | 'regularization' | 'regularizationRate'>): string {
  const layers = [`${config.features.length} input${config.features.length === 1 ? '' : 's'}`, ...config.hidden.map(String), '1'].join(' → ');
  const activation = config.hidden.length ? ` (${config.activation})` : '';
  const reg = config.regularization !== 'none' && config.regularizationRate > 0 ? `, ${config.regularization} at ${config.regularizationRate}` : '';
  return `${layers}${activation}${reg}`;
}
