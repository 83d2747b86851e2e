// Finds ranges in learner source for diagnostics: an export, a hyperparameter literal, a pattern, TODOs.
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

/** First match of a pattern; its first capture group is the range when there is one. */
export function locatePattern(file: string, text: string, pattern: string | RegExp): SourceRange | undefined {
  const re = typeof pattern === 'string' ? new RegExp(pattern, 'm') : pattern;
  const m = re.exec(text);
  if (!m) return undefined;
  if (m[1] !== undefined) {
    const start = m.index + m[0].indexOf(m[1]);
    return rangeOf(file, text, start, start + m[1].length);
  }
  return rangeOf(file, text, m.index, m.index + m[0].length);
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
