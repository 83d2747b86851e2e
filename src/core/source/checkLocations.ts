// Where each check of a lab concerns the learner's code, before any run: the line a Testing view
// item (and its gutter ▶) sits on. The check's `at` pattern when it has one, the rule's own pattern
// for code checks, the entry point's first export for the run itself. Patterns are regular
// expressions from a manifest, so only a trusted manifest's (the course's) are compiled.
import type { Check, LabManifest } from '../lab/manifest';
import { locateExport, locatePattern, TODO_PATTERN, type SourceRange } from './locate';

export const RUN_CHECK_ID = 'run';

export interface CheckPlace {
  /** The learner file the check concerns, relative to the lab folder. */
  file: string;
  /** Where in it; absent when the file does not (yet) contain what the check looks for. */
  range?: SourceRange;
}

/** The file a check concerns, when the manifest says. */
function fileOf(check: Check, manifest: LabManifest): string {
  if (check.at) return check.at.file;
  if (check.kind === 'code') return check.file;
  return manifest.files[0];
}

function locate(file: string, text: string | undefined, pattern: string | RegExp): SourceRange | undefined {
  if (text === undefined) return undefined;
  try {
    return locatePattern(file, text, pattern);
  } catch {
    // A pattern that does not compile locates nothing (the course check reports it to the author).
    return undefined;
  }
}

/**
 * The place of the run check and of every check, in the manifest's order. `trusted` allows the
 * manifest's own regular expressions (`at`, code rules); without it only built-in patterns are used.
 */
export function checkPlaces(manifest: LabManifest, sources: Record<string, string | undefined>, trusted: boolean): Map<string, CheckPlace> {
  const places = new Map<string, CheckPlace>();
  const entry = manifest.files[0];
  const entryText = sources[entry];
  const exported = manifest.exports[0];
  const runRange = entryText !== undefined && exported ? locateExport(entry, entryText, exported) : undefined;
  places.set(RUN_CHECK_ID, runRange ? { file: entry, range: runRange } : { file: entry });
  for (const check of manifest.checks) {
    const file = fileOf(check, manifest);
    const text = sources[file];
    let range: SourceRange | undefined;
    if (check.at && trusted) range = locate(check.at.file, text, check.at.pattern);
    else if (check.kind === 'code' && check.rule === 'no-todo') range = locate(file, text, TODO_PATTERN);
    else if (check.kind === 'code' && check.pattern !== undefined && trusted) range = locate(file, text, check.pattern);
    places.set(check.id, range ? { file, range } : { file });
  }
  return places;
}
