// Plain words for learners: what a message or hint must not contain. Placeholders ({output.x},
// {measured}) are filled in before a learner reads the text, so they are left out of the check.
import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT } from './helpers';

const ID = /\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/g;
const DOUBLED = /\b([a-z]+)\s+\1\b/i;
const NEEDS_VERB = /\bneeds (falls|rises|stays|is|are|reaches)\b/;

/** `words`: ids that are words to the learner (the data's column names, which their code uses). */
export function textProblems(text: string, words: ReadonlySet<string> = new Set()): string[] {
  const plain = text.replace(/\{[^}]*\}/g, '·').replace(/`[^`]*`/g, '·');
  const problems: string[] = [];
  const id = [...plain.matchAll(ID)].find((m) => !words.has(m[0]));
  if (id) problems.push(`an id ("${id[0]}")`);
  const doubled = DOUBLED.exec(plain);
  if (doubled) problems.push(`a doubled word ("${doubled[0]}")`);
  const needs = NEEDS_VERB.exec(plain);
  if (needs) problems.push(`"needs" before a verb ("${needs[0]}")`);
  return problems;
}

/** A course data set's column names (the header of its CSV; none for generated data): words the learner's code uses. */
export function datasetColumns(dataset: string): Set<string> {
  const dir = path.join(REPO_ROOT, 'lab-templates', '_data', dataset);
  const csv = fs.existsSync(dir) ? fs.readdirSync(dir).find((f) => f.endsWith('.csv')) : undefined;
  if (!csv) return new Set();
  const head = fs.readFileSync(path.join(dir, csv), 'utf8').slice(0, 1000);
  return new Set(head.split('\n')[0]!.trim().split(','));
}
