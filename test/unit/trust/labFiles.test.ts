import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ensureLabDir, LabFileError, readLabFile, readLabText, writeLabFile, appendLabFile } from '../../../src/core/files/labFiles';
import { tempDir } from '../../helpers';

describe('lab folder files (a lab folder may be hostile)', () => {
  it('refuses a symbolic link anywhere on the way, even to a harmless file', () => {
    const lab = tempDir();
    fs.writeFileSync(path.join(lab, 'real.txt'), 'hello');
    fs.symlinkSync(path.join(lab, 'real.txt'), path.join(lab, 'link.txt'));
    assert.throws(() => readLabFile(lab, 'link.txt', 1000), /link\.txt .* is a symbolic link/);
    fs.mkdirSync(path.join(lab, 'dir'));
    fs.symlinkSync(path.join(lab, 'dir'), path.join(lab, 'dirlink'));
    assert.throws(() => readLabFile(lab, 'dirlink/x', 1000), /dirlink .* is a symbolic link/);
  });

  it('never blocks on /dev/zero or a pipe, and never reads past the cap', function () {
    if (process.platform === 'win32') this.skip();
    const lab = tempDir();
    fs.symlinkSync('/dev/zero', path.join(lab, 'zero'));
    assert.throws(() => readLabFile(lab, 'zero', 1000), /symbolic link/);
    fs.writeFileSync(path.join(lab, 'big'), Buffer.alloc(5000));
    assert.throws(() => readLabFile(lab, 'big', 1000), /is 5 KB, more than the 1000 bytes ML Labs reads/);
    const t0 = Date.now();
    execFileSync('mkfifo', [path.join(lab, 'fifo')]);
    assert.throws(() => readLabFile(lab, 'fifo', 1000), /a pipe, not a regular file/);
    assert.ok(Date.now() - t0 < 2000);
  });

  it('refuses paths that leave the folder, and reads missing files as undefined', () => {
    const lab = tempDir();
    assert.throws(() => readLabFile(lab, '../etc/passwd', 1000), LabFileError);
    assert.throws(() => readLabFile(lab, '/etc/passwd', 1000), LabFileError);
    assert.strictEqual(readLabText(lab, 'nope.txt', 1000), undefined);
  });

  it('writes through no link: a linked .mllabs or data folder is refused, nothing lands outside', () => {
    const lab = tempDir();
    const outside = tempDir();
    fs.symlinkSync(outside, path.join(lab, '.mllabs'));
    assert.throws(() => ensureLabDir(lab, '.mllabs/runs'), /\.mllabs .* is a symbolic link/);
    assert.throws(() => writeLabFile(lab, '.mllabs/x.json', '{}'), /symbolic link/);
    assert.throws(() => appendLabFile(lab, '.mllabs/x.jsonl', '{}'), /symbolic link/);
    assert.deepStrictEqual(fs.readdirSync(outside), []);
    // A link planted as the target file itself is replaced, never followed.
    const lab2 = tempDir();
    fs.symlinkSync(path.join(outside, 'victim'), path.join(lab2, 'run.json'));
    assert.throws(() => writeLabFile(lab2, 'run.json', '{}'), /symbolic link/);
    assert.ok(!fs.existsSync(path.join(outside, 'victim')));
  });
});
