// A class's submission folders are untrusted: names become file names only when safe, links and
// oversized files are refused with a reason, stray files are skipped.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { filesDigest, learnerName, listSubmissions, SubmissionsError } from '../../../src/core/classGrading/submissions';
import { OFFICIAL_MAX_FILE_BYTES } from '../../../src/core/grade/official';
import type { LabManifest } from '../../../src/core/lab/manifest';
import { tempDir } from '../../helpers';

const manifest = { files: ['network.ts'] } as unknown as LabManifest;

describe('class grading: submissions', () => {
  it('keeps plain folder names and cleans the others into unique, safe file names', () => {
    const taken = new Set<string>();
    assert.strictEqual(learnerName('ada.lovelace_1', taken), 'ada.lovelace_1');
    const cleaned = [
      learnerName('=HYPERLINK("x")', taken),
      learnerName('../../etc', taken),
      learnerName('Ada.Lovelace_1', taken),
      learnerName('CON', taken),
      learnerName('José Núñez', taken),
      learnerName('-rf', taken),
    ];
    for (const name of cleaned) assert.match(name, /^[A-Za-z0-9][A-Za-z0-9._-]*-[0-9a-f]{8}$/, name);
    assert.match(cleaned[2], /^Ada\.Lovelace_1-/, 'names that differ only in case get apart');
    assert.match(cleaned[4], /^Jose_Nunez-/);
    assert.strictEqual(new Set(cleaned.map((n) => n.toLowerCase())).size, cleaned.length);
    assert.strictEqual(learnerName('=HYPERLINK("x")', new Set()), cleaned[0], 'the same folder always gets the same name');
  });

  it('reads each learner folder with checked reads, and says why one cannot be graded', () => {
    const root = tempDir();
    const mk = (name: string, content?: string | Buffer) => {
      fs.mkdirSync(path.join(root, name));
      if (content !== undefined) fs.writeFileSync(path.join(root, name, 'network.ts'), content);
    };
    mk('ada', 'export const network = {};');
    mk('bob');
    mk('big', Buffer.alloc(OFFICIAL_MAX_FILE_BYTES + 1, 32));
    mk('linked');
    fs.symlinkSync('/etc/passwd', path.join(root, 'linked', 'network.ts'));
    fs.symlinkSync(path.join(root, 'ada'), path.join(root, 'alias'));
    fs.writeFileSync(path.join(root, 'notes.txt'), 'not a learner');
    fs.mkdirSync(path.join(root, '.git'));
    const { submissions, skipped } = listSubmissions(root, manifest);
    assert.deepStrictEqual(skipped, ['notes.txt']);
    const by = new Map(submissions.map((s) => [s.learner, s]));
    assert.deepStrictEqual([...by.keys()], ['ada', 'alias', 'big', 'bob', 'linked']);
    assert.strictEqual(by.get('ada')!.files!['network.ts'].toString(), 'export const network = {};');
    assert.match(by.get('alias')!.problem!, /symbolic link/);
    assert.match(by.get('bob')!.problem!, /has no network\.ts/);
    assert.match(by.get('big')!.problem!, /official grading takes learner files of at most 128 KB/);
    assert.match(by.get('linked')!.problem!, /symbolic link/);
    assert.throws(() => listSubmissions(path.join(root, 'nope'), manifest), SubmissionsError);
    assert.throws(() => listSubmissions(path.join(root, 'notes.txt'), manifest), /is not a folder/);
  });

  it('hashes a submission by its file names and contents', () => {
    const a = filesDigest({ 'network.ts': Buffer.from('x') });
    assert.strictEqual(filesDigest({ 'network.ts': Buffer.from('x') }), a);
    assert.notStrictEqual(filesDigest({ 'network.ts': Buffer.from('y') }), a);
    assert.notStrictEqual(filesDigest({ 'model.ts': Buffer.from('x') }), a);
  });
});
