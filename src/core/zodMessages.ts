// What zod says when a value does not parse, in words a person can act on. Its English messages
// ("Too small: expected number to be >=1"): the classic API installs them when its first schema is
// built; zod/mini leaves the locale to the program, and without one every built-in message is
// "Invalid input". Imported for its effect by the modules that define schemas; a locale set
// explicitly elsewhere is kept. And the issues of a failed parse, one line each, naming the field.
import * as z from 'zod/mini';
import { en } from 'zod/locales';

if (!z.config().localeError) z.config(en());

/** Human-readable list of what is wrong, one line per issue, each naming its field. */
export function describeIssues(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string[] {
  return error.issues.map((issue) => {
    const where = issue.path.length ? issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('') : '(top level)';
    return `${where.replace(/^\./, '')}: ${issue.message}`;
  });
}
