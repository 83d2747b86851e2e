// Finds ranges in learner source for diagnostics: an export, a hyperparameter literal, a pattern, TODOs.
// Patterns written in a lab.json may come from an untrusted folder (a lab in development): they run
// with a time bound, so a catastrophic one (e.g. (a+)+$) gives up instead of freezing the editor.
import * as vm from 'vm';
export interface SourceRange {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** 1-based line/column of a character offset. */
export function positionAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    last = i;
  }
  return { line, column: offset - last };
}

function rangeOf(file: string, text: string, start: number, end: number): SourceRange {
  const a = positionAt(text, start);
  const b = positionAt(text, end);
  return { file, line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
}

/** How long a pattern from a lab.json may search one file. */
export const PATTERN_TIMEOUT_MS = 100;

interface Found {
  index: number;
  match: string;
  group1?: string;
}

let sandbox: vm.Context | undefined;
const SEARCH = new vm.Script('(() => { const m = new RegExp(source, flags).exec(text); return m ? { index: m.index, match: m[0], group1: m[1] } : null; })()');

/**
 * The first match of a pattern given as text (from a lab.json), searched with a time bound: null
 * when there is none, undefined when the pattern is invalid or took too long.
 */
export function searchBounded(source: string, flags: string, text: string, timeoutMs = PATTERN_TIMEOUT_MS): Found | null | undefined {
  sandbox ??= vm.createContext({});
  Object.assign(sandbox, { source, flags, text });
  try {
    const found = SEARCH.runInContext(sandbox, { timeout: timeoutMs }) as Found | null;
    return found ? { index: found.index, match: String(found.match), ...(found.group1 !== undefined ? { group1: String(found.group1) } : {}) } : null;
  } catch {
    return undefined;
  } finally {
    Object.assign(sandbox, { source: '', flags: '', text: '' });
  }
}

/** First match of a pattern; its first capture group is the range when there is one. */
export function locatePattern(file: string, text: string, pattern: string | RegExp): SourceRange | undefined {
  let m: Found | null | undefined;
  if (typeof pattern === 'string') m = searchBounded(pattern, 'm', text);
  else {
    const r = pattern.exec(text);
    m = r ? { index: r.index, match: r[0], ...(r[1] !== undefined ? { group1: r[1] } : {}) } : null;
  }
  if (!m) return undefined;
  if (m.group1 !== undefined) {
    const start = m.index + m.match.indexOf(m.group1);
    return rangeOf(file, text, start, start + m.group1.length);
  }
  return rangeOf(file, text, m.index, m.index + m.match.length);
}

export function locateAll(file: string, text: string, pattern: RegExp): SourceRange[] {
  const re = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : pattern.flags + 'g');
  const out: SourceRange[] = [];
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push(rangeOf(file, text, m.index, m.index + m[0].length));
    if (m[0].length === 0) re.lastIndex++;
  }
  return out;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The name in `export function name`, `export const name`, `export class name`. */
export function locateExport(file: string, text: string, name: string): SourceRange | undefined {
  return locatePattern(file, text, new RegExp(`^\\s*export\\s+(?:async\\s+)?(?:function\\*?|const|let|var|class)\\s+(${escapeRegExp(name)})\\b`, 'm'));
}

/** The value of `name: <value>` or `name = <value>` (e.g. the learning-rate literal). */
export function locateValue(file: string, text: string, name: string): SourceRange | undefined {
  return locatePattern(file, text, new RegExp(`\\b${escapeRegExp(name)}\\s*[:=]\\s*([^,;\\n}]+?)\\s*(?:[,;}\\n]|//)`, 'm'));
}

export const TODO_PATTERN = /\bTODO\b[^\n]*/;
