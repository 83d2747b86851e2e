import * as fs from 'fs';
import * as path from 'path';
import { MANIFEST_FILE } from '../core/catalog';

/** The lab id of a folder, read leniently (a broken manifest still names its lab). */
export function readManifestId(labDir: string): string | undefined {
  try {
    const id = (JSON.parse(fs.readFileSync(path.join(labDir, MANIFEST_FILE), 'utf8')) as { id?: unknown }).id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}
