import * as fs from 'fs';
import * as path from 'path';

/** core/lab/catalog's MANIFEST_FILE, repeated so the activation entry does not load catalog's zod schemas. */
export const MANIFEST_FILE = 'lab.json';

/** The lab id of a folder, read leniently (a broken manifest still names its lab). */
export function readManifestId(labDir: string): string | undefined {
  try {
    const id = (JSON.parse(fs.readFileSync(path.join(labDir, MANIFEST_FILE), 'utf8')) as { id?: unknown }).id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}
