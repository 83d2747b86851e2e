// The static course check for lab authors: what can be told about lab-templates/ without running
// anything (`mllabs verify` runs the solutions). Every manifest parses and names its folder; every file
// it references exists; each starter has its TODOs and every check's location pattern finds its line
// in the starter; ids are unique; nothing sits in a lab folder that nothing refers to; each wrong
// solution names checks and a cause that exist. Results are data: the caller prints them.
import * as fs from 'fs';
import * as path from 'path';
import { MANIFEST_FILE, readManifest } from './catalog';
import { listFiles } from '../files/listFiles';
import { checkPlaces } from '../source/checkLocations';
import { causeById } from '../grade/causes';
import { RUN_CHECK_ID, RUN_FAILURE_CAUSES } from '../grade/grader';
import type { LabManifest } from './manifest';
import { loadQuizzes } from '../quiz';
import { searchBounded, TODO_PATTERN } from '../source/locate';

/** Files a lab folder may hold without a manifest naming them. */
const ALWAYS_ALLOWED = new Set([MANIFEST_FILE, 'README.md', 'tsconfig.json']);
/** Folders of lab-templates/ that hold shared material, not labs (as the catalog reads it). */
const isSharedFolder = (name: string) => name.startsWith('_') || name.startsWith('.');
/** Files in which a learner is asked to write code, and so has TODOs to do. */
const CODE_FILE = /\.(ts|js|mjs|cjs)$/;
const DATA_DIR = '_data';

export interface LabCheck {
  /** The lab's folder name (its id, when the manifest is right). */
  lab: string;
  /** What is wrong, one line each; empty when the lab passes. */
  problems: string[];
}

export interface CourseCheck {
  labs: LabCheck[];
  /** What is wrong with the course as a whole (shared data, quizzes, ids across labs). */
  course: string[];
  ok: boolean;
}

function readText(dir: string, rel: string): string | undefined {
  const file = path.join(dir, rel);
  return fs.existsSync(file) && fs.statSync(file).isFile() ? fs.readFileSync(file, 'utf8') : undefined;
}

/** Every file the manifest refers to, with what refers to it. */
function referencedFiles(m: LabManifest): Map<string, string> {
  const refs = new Map<string, string>();
  const add = (file: string, by: string) => void (refs.has(file) || refs.set(file, by));
  add(m.instructions, 'instructions');
  m.files.forEach((f, i) => add(f, `files[${i}]`));
  add(m.solutions.reference, 'solutions.reference');
  m.solutions.correct.forEach((s, i) => add(s.file, `solutions.correct[${i}]`));
  m.solutions.wrong.forEach((s, i) => add(s.file, `solutions.wrong[${i}]`));
  return refs;
}

/** Whether a manifest's pattern compiles (as the editor and the grader compile it: multiline). */
function patternProblem(pattern: string): string | undefined {
  return searchBounded(pattern, 'm', '') === undefined ? 'does not compile (or takes too long on an empty file)' : undefined;
}

function checkFiles(m: LabManifest, dir: string, problems: string[]): void {
  const refs = referencedFiles(m);
  for (const [file, by] of refs) if (readText(dir, file) === undefined) problems.push(`${by}: ${file} does not exist`);
  for (const [i, c] of m.checks.entries()) {
    if (c.at && !m.files.includes(c.at.file))
      problems.push(`checks[${i}] (${c.id}): at.file ${c.at.file} is not one of the learner's files (${m.files.join(', ')})`);
    if (c.kind === 'code' && !m.files.includes(c.file)) problems.push(`checks[${i}] (${c.id}): file ${c.file} is not one of the learner's files`);
  }
  for (const [i, d] of m.diagnoses.entries()) {
    if (d.at && !m.files.includes(d.at.file)) problems.push(`diagnoses[${i}] (${d.id}): at.file ${d.at.file} is not one of the learner's files`);
  }
  // A file nothing refers to: copied to every learner (or, in solutions/, never run) for no reason.
  // The instructions may name one for the learner to open (e.g. a second study spec).
  const instructions = readText(dir, m.instructions) ?? '';
  for (const file of listFiles(dir).sort()) {
    if (refs.has(file) || ALWAYS_ALLOWED.has(file)) continue;
    if (!file.startsWith('solutions/') && instructions.includes(path.posix.basename(file))) continue;
    problems.push(`${file} is referred to by nothing (not lab.json, not the instructions): delete it or list it`);
  }
}

function checkStarters(m: LabManifest, dir: string, problems: string[]): void {
  const sources: Record<string, string | undefined> = Object.fromEntries(m.files.map((f) => [f, readText(dir, f)]));
  for (const file of m.files) {
    const text = sources[file];
    if (text !== undefined && CODE_FILE.test(file) && !TODO_PATTERN.test(text)) problems.push(`${file}: the starter has no TODO (each step of the lab is one)`);
  }
  for (const c of m.checks) {
    if (c.kind === 'code' && c.rule === 'no-todo' && sources[c.file] !== undefined && !TODO_PATTERN.test(sources[c.file]!)) {
      problems.push(`${c.id}: checks that ${c.file} has no TODO left, but its starter has none to begin with`);
    }
  }
  // Where each check points in the starter, found as the editor finds it (its gutter ▶, its hint).
  const places = checkPlaces(m, sources, true);
  for (const c of m.checks) {
    const pattern = c.at?.pattern ?? (c.kind === 'code' ? c.pattern : undefined);
    const compileProblem = pattern === undefined ? undefined : patternProblem(pattern);
    if (pattern !== undefined && compileProblem) {
      problems.push(`${c.id}: pattern /${pattern}/ ${compileProblem}`);
      continue;
    }
    // A forbid or require rule's pattern looks for what the learner must (not) write: the starter
    // need not hold it. An `at` pattern and the TODO rule point at a line that must be there.
    const mustLocate = c.at !== undefined || (c.kind === 'code' && c.rule === 'no-todo');
    const place = places.get(c.id);
    if (mustLocate && place && sources[place.file] !== undefined && !place.range) {
      problems.push(`${c.id}: ${c.at ? `at.pattern /${c.at.pattern}/` : 'the TODO rule'} finds nothing in the starter ${place.file}`);
    }
  }
  for (const d of m.diagnoses) {
    if (!d.at) continue;
    const compileProblem = patternProblem(d.at.pattern);
    if (compileProblem) problems.push(`diagnosis ${d.id}: pattern /${d.at.pattern}/ ${compileProblem}`);
    else if (sources[d.at.file] !== undefined && !searchBounded(d.at.pattern, 'm', sources[d.at.file]!)) {
      problems.push(`diagnosis ${d.id}: at.pattern /${d.at.pattern}/ finds nothing in the starter ${d.at.file}`);
    }
  }
}

function checkIds(m: LabManifest, problems: string[]): void {
  const duplicates = (ids: string[]) => [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
  for (const id of duplicates(m.checks.map((c) => c.id))) problems.push(`check id "${id}" is used twice`);
  const files = [m.solutions.reference, ...m.solutions.correct.map((s) => s.file), ...m.solutions.wrong.map((s) => s.file)];
  for (const f of duplicates(files)) problems.push(`solution ${f} is listed twice`);
}

function checkSolutions(m: LabManifest, dir: string, problems: string[]): void {
  const checkIdsSet = new Set([RUN_CHECK_ID, ...m.checks.map((c) => c.id)]);
  const knownCause = (id: string) => causeById(id) !== undefined || m.diagnoses.some((d) => d.id === id);
  const knownWrongCause = (id: string) => knownCause(id) || RUN_FAILURE_CAUSES.has(id);
  const required = [RUN_CHECK_ID, ...m.checks.filter((c) => !c.optional).map((c) => c.id)];
  const reference = readText(dir, m.solutions.reference);
  for (const [i, w] of m.solutions.wrong.entries()) {
    const where = `solutions.wrong[${i}] (${w.file})`;
    if (w.fails.length === 0) problems.push(`${where}: names no check it fails`);
    for (const id of w.fails) if (!checkIdsSet.has(id)) problems.push(`${where}: fails "${id}", which is no check of this lab`);
    for (const id of w.fails)
      if (checkIdsSet.has(id) && !required.includes(id)) problems.push(`${where}: fails "${id}", an optional check, which fails no lab`);
    if (w.cause !== undefined && !knownWrongCause(w.cause))
      problems.push(`${where}: cause "${w.cause}" is no general cause, run failure or diagnosis of the lab`);
    const text = readText(dir, w.file);
    if (text !== undefined && text === reference) problems.push(`${where}: is the reference solution, unchanged`);
  }
  for (const c of m.checks)
    for (const cause of c.causes ?? [])
      if (!knownCause(cause)) problems.push(`${c.id}: cause "${cause}" is neither a general cause nor one of the lab's diagnoses`);
  // The reference and the correct alternatives pass the TODO rule: they carry no TODO.
  const todoFiles = new Set(m.checks.flatMap((c) => (c.kind === 'code' && c.rule === 'no-todo' ? [c.file] : [])));
  if (todoFiles.has(m.files[0])) {
    for (const s of [m.solutions.reference, ...m.solutions.correct.map((c) => c.file)]) {
      const text = readText(dir, s);
      if (text !== undefined && TODO_PATTERN.test(text)) problems.push(`${s}: a passing solution still has a TODO`);
    }
  }
}

/** Checks one lab folder; `manifest` is undefined when its lab.json did not load (see `problems`). */
export function checkLab(dir: string): { check: LabCheck; manifest?: LabManifest } {
  const folder = path.basename(dir);
  const problems: string[] = [];
  const read = readManifest(path.join(dir, MANIFEST_FILE));
  if (!read.ok) return { check: { lab: folder, problems: read.problem.messages.map((m) => `${MANIFEST_FILE}: ${m}`) } };
  const m = read.manifest;
  if (m.id !== folder) problems.push(`${MANIFEST_FILE}: id "${m.id}" must be the folder's name, "${folder}"`);
  checkIds(m, problems);
  checkFiles(m, dir, problems);
  checkStarters(m, dir, problems);
  checkSolutions(m, dir, problems);
  return { check: { lab: folder, problems }, manifest: m };
}

/** Checks every lab of a course folder (lab-templates/) and what the labs share. */
export function checkCourse(templatesDir: string): CourseCheck {
  const labs: LabCheck[] = [];
  const course: string[] = [];
  const manifests: LabManifest[] = [];
  for (const entry of fs.readdirSync(templatesDir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isDirectory() || isSharedFolder(entry.name)) continue;
    const dir = path.join(templatesDir, entry.name);
    if (!fs.existsSync(path.join(dir, MANIFEST_FILE))) {
      course.push(`${entry.name}/ has no ${MANIFEST_FILE}: it is no lab (shared material goes in a folder whose name starts with "_")`);
      continue;
    }
    const { check, manifest } = checkLab(dir);
    labs.push(check);
    if (manifest) manifests.push(manifest);
  }
  // Ids that differ only in case collide on case-insensitive file systems; a module's order decides
  // where a lab is listed.
  const seen = new Map<string, string>();
  for (const m of manifests) {
    const key = m.id.toLowerCase();
    if (seen.has(key)) course.push(`lab id "${m.id}" is also used by "${seen.get(key)}"`);
    seen.set(key, m.id);
  }
  const slots = new Map<string, string>();
  for (const m of manifests) {
    const slot = `module ${m.module.number}, order ${m.order}`;
    if (slots.has(slot)) course.push(`${m.id} and ${slots.get(slot)} are both at ${slot}`);
    slots.set(slot, m.id);
  }
  // Shared data: each folder of _data/ belongs to a data set some lab uses.
  const dataDir = path.join(templatesDir, DATA_DIR);
  const used = new Set<string>(manifests.map((m) => m.data.dataset));
  if (fs.existsSync(dataDir)) {
    for (const entry of fs.readdirSync(dataDir, { withFileTypes: true })) {
      if (entry.isDirectory() && !used.has(entry.name)) course.push(`${DATA_DIR}/${entry.name}/ is the data of no lab`);
    }
  }
  for (const p of loadQuizzes(templatesDir).problems) course.push(...p.messages.map((m) => `${path.relative(templatesDir, p.file)}: ${m}`));
  return { labs, course, ok: course.length === 0 && labs.every((l) => l.problems.length === 0) };
}
