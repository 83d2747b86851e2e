// Walks a folder of the course (a lab template, its data) for the files in it.
import * as fs from 'fs';
import * as path from 'path';

/**
 * Every entry under `dir` that is not a folder and that `keep` accepts, as "/"-separated paths
 * relative to `dir`, folder by folder in the order the file system lists them. Links are not followed.
 */
export function listFiles(dir: string, keep: (entry: fs.Dirent) => boolean = () => true, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(path.join(dir, entry.name), keep, rel));
    else if (keep(entry)) out.push(rel);
  }
  return out;
}
