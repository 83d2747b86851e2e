// What a run's code was, compared with the run before it: each run keeps the exact code that
// produced it in `.mllabs/runs/<id>/source/`, and runs that differ only in code (a new labelScale,
// another features()) must not look alike. The summary names what changed the way the learner
// thinks of it ("labelScale 1 → 100_000", "features() changed"); the diff shows the lines.
import type * as fs from 'fs';
import { FILE_LIMITS, listLabDir, readLabText } from '../files/labFiles';

export const SOURCE_DIR = 'source';

/** Bounds: a run's source folder is the learner's data and may be hostile (reads are link-free and capped). */
const MAX_FILES = 50;
/** Lines of the changed middle of a file beyond which the diff is not computed line by line. */
const MAX_DIFF_LINES = 1500;
export const MAX_DIFF_SHOWN = 120;
const MAX_SUMMARY_ITEMS = 3;

export type Sources = Record<string, string>;

/** The files of a run's `source/` folder, by path relative to it ("/"-separated). */
export function readRunSources(runDir: string): Sources {
  const out: Sources = {};
  const walk = (rel: string) => {
    let entries: fs.Dirent[];
    try {
      entries = listLabDir(runDir, rel);
    } catch {
      return;
    }
    for (const e of [...entries].sort((a, b) => a.name.localeCompare(b.name))) {
      if (Object.keys(out).length >= MAX_FILES) return;
      const r = `${rel}/${e.name}`;
      if (e.isDirectory()) walk(r);
      else if (e.isFile()) {
        try {
          const text = readLabText(runDir, r, FILE_LIMITS.source);
          if (text !== undefined) out[r.slice(SOURCE_DIR.length + 1)] = text;
        } catch {
          // a link, a device or too big: left out
        }
      }
    }
  };
  walk(SOURCE_DIR);
  return out;
}

export interface CodeComparison {
  /** True when some file differs from the previous run's. */
  changed: boolean;
  /** One line: "labelScale 1 → 100_000; features() changed", "same code", "first run". */
  summary: string;
  /** The changed lines, "- old" / "+ new", with "@@ file:line" heads; clipped to MAX_DIFF_SHOWN. */
  diff: string[];
}

type Op = { kind: 'same' | 'del' | 'add'; text: string; oldLine: number; newLine: number };

/** A line diff: common prefix and suffix, then a longest common subsequence of the middle. */
export function diffLines(a: readonly string[], b: readonly string[]): Op[] {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const ops: Op[] = [];
  for (let i = 0; i < pre; i++) ops.push({ kind: 'same', text: a[i]!, oldLine: i + 1, newLine: i + 1 });
  const am = a.slice(pre, a.length - suf);
  const bm = b.slice(pre, b.length - suf);
  if (am.length * bm.length > (MAX_DIFF_LINES * MAX_DIFF_LINES) / 4 || am.length > MAX_DIFF_LINES || bm.length > MAX_DIFF_LINES) {
    am.forEach((t, i) => ops.push({ kind: 'del', text: t, oldLine: pre + i + 1, newLine: pre + 1 }));
    bm.forEach((t, j) => ops.push({ kind: 'add', text: t, oldLine: pre + am.length + 1, newLine: pre + j + 1 }));
  } else {
    // lcs[i][j]: length of the longest common subsequence of am[i..] and bm[j..].
    const n = am.length;
    const m = bm.length;
    const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
    for (let i = n - 1; i >= 0; i--)
      for (let j = m - 1; j >= 0; j--) lcs[i]![j] = am[i] === bm[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && am[i] === bm[j]) {
        ops.push({ kind: 'same', text: am[i]!, oldLine: pre + i + 1, newLine: pre + j + 1 });
        i++;
        j++;
      } else if (i < n && (j === m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
        // Removed lines before added ones, as diffs read.
        ops.push({ kind: 'del', text: am[i]!, oldLine: pre + i + 1, newLine: pre + j + 1 });
        i++;
      } else {
        ops.push({ kind: 'add', text: bm[j]!, oldLine: pre + i + 1, newLine: pre + j + 1 });
        j++;
      }
    }
  }
  for (let k = 0; k < suf; k++) ops.push({ kind: 'same', text: a[a.length - suf + k]!, oldLine: a.length - suf + k + 1, newLine: b.length - suf + k + 1 });
  return ops;
}

/** Consecutive changed lines. */
interface Hunk {
  del: Op[];
  add: Op[];
  /** Line (1-based) in the new text where the hunk sits. */
  newLine: number;
}

function hunks(ops: readonly Op[]): Hunk[] {
  const out: Hunk[] = [];
  let cur: Hunk | undefined;
  for (const op of ops) {
    if (op.kind === 'same') {
      cur = undefined;
      continue;
    }
    if (!cur) {
      cur = { del: [], add: [], newLine: op.newLine };
      out.push(cur);
    }
    (op.kind === 'del' ? cur.del : cur.add).push(op);
  }
  return out;
}

const ASSIGNMENT = /^\s*(?:export\s+)?(?:(?:const|let|var)\s+)?([A-Za-z_$][\w$]*)\s*(?::\s*[^=]+?)?\s*[:=]\s*(.+?)\s*[,;]?\s*(?:\/\/.*)?$/;
const DECLARATION = /^(?:export\s+)?(?:default\s+)?(?:async\s+)?(function\*?|const|let|var|class)\s+([A-Za-z_$][\w$]*)/;
const COMMENT_OR_BLANK = /^\s*(\/\/.*|\/\*.*|\*.*|)$/;

/** "labelScale 1 → 100_000" when a hunk changes one value of one name. */
function valueChange(h: Hunk): string | undefined {
  if (h.del.length !== 1 || h.add.length !== 1) return undefined;
  const a = ASSIGNMENT.exec(h.del[0]!.text);
  const b = ASSIGNMENT.exec(h.add[0]!.text);
  if (!a || !b || a[1] !== b[1] || a[2] === b[2]) return undefined;
  const clip = (v: string) => (v.length > 24 ? `${v.slice(0, 23)}…` : v);
  return `${b[1]} ${clip(a[2]!)} → ${clip(b[2]!)}`;
}

/** The top-level declaration a line of `lines` (1-based) belongs to: "features()", "hyperparameters". */
function enclosing(lines: readonly string[], line: number): string | undefined {
  for (let i = Math.min(line, lines.length) - 1; i >= 0; i--) {
    const m = DECLARATION.exec(lines[i]!);
    if (m) return m[1]!.startsWith('function') ? `${m[2]}()` : m[2];
    // A closing brace at the left margin ends the declaration above: the line is between two.
    if (i < line - 1 && /^}/.test(lines[i]!)) return undefined;
  }
  return undefined;
}

/** "features() changed" inside a declaration; "broken added" / "old removed" for a whole new or deleted one. */
function declarationChange(h: Hunk, a: readonly string[], b: readonly string[]): string | undefined {
  const code = (ops: Op[]) => ops.filter((o) => !COMMENT_OR_BLANK.test(o.text));
  const declared = (op: Op | undefined) => {
    const m = op ? DECLARATION.exec(op.text) : null;
    return m ? (m[1]!.startsWith('function') ? `${m[2]}()` : m[2]) : undefined;
  };
  if (h.del.length === 0 && declared(code(h.add)[0])) return `${declared(code(h.add)[0])} added`;
  if (h.add.length === 0 && declared(code(h.del)[0])) return `${declared(code(h.del)[0])} removed`;
  const inside = enclosing(b, h.newLine) ?? enclosing(a, h.del[0]?.oldLine ?? h.newLine);
  return inside ? `${inside} changed` : undefined;
}

function describeFile(file: string, before: string | undefined, after: string | undefined, multiFile: boolean): { items: string[]; diff: string[] } {
  if (before === undefined) return { items: [`${file} added`], diff: [`@@ ${file}: new file`] };
  if (after === undefined) return { items: [`${file} removed`], diff: [`@@ ${file}: removed`] };
  const a = before.split(/\r?\n/);
  const b = after.split(/\r?\n/);
  const ops = diffLines(a, b);
  const items: string[] = [];
  const diff: string[] = [];
  let onlyComments = true;
  for (const h of hunks(ops)) {
    const changedText = [...h.del, ...h.add].map((o) => o.text);
    if (!changedText.every((t) => COMMENT_OR_BLANK.test(t))) onlyComments = false;
    diff.push(`@@ ${file}:${h.newLine}`);
    for (const o of h.del) diff.push(`- ${o.text}`);
    for (const o of h.add) diff.push(`+ ${o.text}`);
    if (changedText.every((t) => COMMENT_OR_BLANK.test(t))) continue;
    const text =
      valueChange(h) ?? declarationChange(h, a, b) ?? `${multiFile ? `${file}: ` : ''}lines ${h.newLine}–${h.newLine + Math.max(0, h.add.length - 1)} changed`;
    if (!items.includes(text)) items.push(text);
  }
  if (items.length === 0 && diff.length > 0 && onlyComments) items.push(`${multiFile ? `${file}: ` : ''}comments only`);
  return { items, diff };
}

/** How the code of a run differs from the previous run's (undefined: there is no previous run). */
export function compareSources(previous: Sources | undefined, current: Sources): CodeComparison {
  if (!previous) return { changed: false, summary: 'first run', diff: [] };
  const files = [...new Set([...Object.keys(previous), ...Object.keys(current)])].sort();
  const items: string[] = [];
  const diff: string[] = [];
  for (const f of files) {
    if (previous[f] === current[f]) continue;
    const d = describeFile(f, previous[f], current[f], files.length > 1);
    items.push(...d.items.filter((i) => !items.includes(i)));
    diff.push(...d.diff);
  }
  if (diff.length === 0) return { changed: false, summary: 'same code', diff: [] };
  const shown = items.slice(0, MAX_SUMMARY_ITEMS).join('; ');
  const more = items.length > MAX_SUMMARY_ITEMS ? ` (+${items.length - MAX_SUMMARY_ITEMS} more)` : '';
  const clipped = diff.length > MAX_DIFF_SHOWN ? [...diff.slice(0, MAX_DIFF_SHOWN), `… ${diff.length - MAX_DIFF_SHOWN} more lines`] : diff;
  return { changed: true, summary: `${shown}${more}`, diff: clipped.map((l) => (l.length > 200 ? `${l.slice(0, 199)}…` : l)) };
}
