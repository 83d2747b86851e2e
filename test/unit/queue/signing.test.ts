// Results from workers are believed only when signed with the shared key, for the very job they answer.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { canonicalJson } from '../../../src/core/canonicalJson';
import { gradeJobId, trialJobId, type GradeJobData, type TrialJobData } from '../../../src/core/queue/jobs';
import { loadQueueKey, sign, verify } from '../../../src/core/queue/signing';
import { tempDir } from '../../helpers';

const SECRET = 'a-grading-secret-of-some-length';
const outcome = { kind: 'grade', status: 'completed', grade: { passed: true, results: [{ id: 'a', status: 'pass' }] }, durationMs: 1200 };

describe('queue: signed results', () => {
  it('writes the same canonical JSON whatever the key order, leaving undefined out', () => {
    assert.strictEqual(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: undefined }], c: null } }), canonicalJson({ a: { c: null, d: [1, { y: 2 }] }, b: 1 }));
    assert.strictEqual(canonicalJson({ z: 1, a: 2 }), '{"a":2,"z":1}');
  });

  it('verifies a result only for the job it was signed for, unaltered, with the same key', () => {
    const key = loadQueueKey({ gradingSecret: SECRET, env: {} });
    const signature = sign(key, 'result', 'job-1', outcome);
    assert.ok(verify(key, 'result', 'job-1', JSON.parse(JSON.stringify(outcome)), signature), 'survives a JSON round trip');
    assert.ok(!verify(key, 'result', 'job-2', outcome, signature), 'a signature cannot be moved to another job');
    assert.ok(!verify(key, 'progress', 'job-1', outcome, signature), 'nor to another purpose');
    assert.ok(!verify(key, 'result', 'job-1', { ...outcome, grade: { ...outcome.grade, passed: false } }, signature));
    const other = loadQueueKey({ gradingSecret: `${SECRET}!`, env: {} });
    assert.ok(!verify(other, 'result', 'job-1', outcome, signature));
    assert.notStrictEqual(other.fingerprint, key.fingerprint);
    for (const bad of [undefined, '', 'zz', '0'.repeat(64), 42]) assert.ok(!verify(key, 'result', 'job-1', outcome, bad));
  });

  it('takes its key from a key file first, else from the grading secret, and refuses to run without one', () => {
    const dir = tempDir();
    const file = path.join(dir, 'queue.key');
    fs.writeFileSync(file, 'f'.repeat(40) + '\n');
    const fromFile = loadQueueKey({ keyFile: file, gradingSecret: SECRET, env: {} });
    assert.match(fromFile.source, /key file/);
    assert.deepStrictEqual(loadQueueKey({ gradingSecret: 'x', env: { MLLABS_QUEUE_KEY_FILE: file } }).secret, fromFile.secret);
    assert.match(loadQueueKey({ gradingSecret: SECRET, env: {} }).source, /MLLABS_GRADING_SECRET/);
    assert.throws(() => loadQueueKey({ env: {} }), /results on the queue are signed, and no key was given: set MLLABS_GRADING_SECRET/);
    fs.writeFileSync(file, 'short');
    assert.throws(() => loadQueueKey({ keyFile: file, env: {} }), /holds 5 bytes; use at least 16/);
    assert.throws(() => loadQueueKey({ keyFile: path.join(dir, 'missing'), env: {} }), /does not exist/);
    assert.throws(() => loadQueueKey({ gradingSecret: 'tiny', env: {} }), /shorter than 16 bytes/);
  });

  it('names a job by what it runs: the same work is one job, any change is another', () => {
    const grade: GradeJobData = {
      kind: 'grade',
      v: 1,
      labId: 'regularization',
      manifestSha256: 'a'.repeat(64),
      files: { 'network.ts': Buffer.from('x').toString('base64') },
    };
    const id = gradeJobId(grade, 'k1');
    assert.match(id, /^grade-regularization-[0-9a-f]{40}$/);
    assert.strictEqual(gradeJobId({ ...grade, files: { 'network.ts': Buffer.from('x').toString('base64') } }, 'k1'), id);
    assert.notStrictEqual(gradeJobId({ ...grade, files: { 'network.ts': Buffer.from('y').toString('base64') } }, 'k1'), id);
    assert.notStrictEqual(gradeJobId({ ...grade, timeBudgetMs: 5000 }, 'k1'), id);
    assert.notStrictEqual(gradeJobId(grade, 'k2'), id, 'a result signed with another key is another job');
    const trial: TrialJobData = { ...grade, kind: 'trial', hyperparameters: { learningRate: 0.1 }, seed: 1, metricTag: 'loss' };
    assert.match(trialJobId('20261205-101010-abcd', 3, trial, 'k1'), /^trial-20261205-101010-abcd-3-[0-9a-f]{16}$/);
    assert.ok(!id.includes(':') && !trialJobId('s', 1, trial, 'k').includes(':'), 'BullMQ ids have no colon');
  });
});
