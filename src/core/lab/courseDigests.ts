// The course as it was built: the sha256 of every course manifest (lab-templates/<id>/lab.json) and
// data set (lab-templates/_data/**.csv), recorded in the bundles at build time. The install folder
// is writable by its user, so a manifest or data set read from it is checked against these before it
// is believed: a lowered bar or changed labels are refused, with what to do about it.
import { createHash } from 'crypto';

declare const __MLLABS_COURSE_DIGESTS__: Record<string, string> | undefined;

/** The digests recorded at build time; undefined when running unbundled code (the unit tests). */
export function builtCourseDigests(): Record<string, string> | undefined {
  return typeof __MLLABS_COURSE_DIGESTS__ === 'undefined' ? undefined : __MLLABS_COURSE_DIGESTS__;
}

export class CourseIntegrityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CourseIntegrityError';
  }
}

/**
 * Why a course file may not be used, or undefined if it may: its digest must be the one recorded
 * when this ML Labs was built. `rel` is relative to lab-templates/, "/"-separated.
 */
export function courseFileProblem(rel: string, content: string | Uint8Array, digests = builtCourseDigests()): string | undefined {
  if (!digests) return undefined;
  const expected = digests[rel];
  const actual = createHash('sha256').update(content).digest('hex');
  if (expected === undefined) return `lab-templates/${rel} is not part of the course this ML Labs was built with`;
  if (expected !== actual)
    return `lab-templates/${rel} was modified after this ML Labs was built (its sha256 is ${actual.slice(0, 12)}…, not ${expected.slice(0, 12)}…)`;
  return undefined;
}

export const REINSTALL = 'Reinstall ML Labs (or, in a source checkout, run "npm run build") to restore the course.';

export function checkCourseFile(rel: string, content: string | Uint8Array, digests = builtCourseDigests()): void {
  const problem = courseFileProblem(rel, content, digests);
  if (problem) throw new CourseIntegrityError(`${problem}. ${REINSTALL}`);
}
