import * as assert from 'assert';
import { maskUrl, queueTarget } from '../../../src/core/queue/connection';

describe('queue: Redis URLs', () => {
  it('accepts redis:// and rediss:// URLs and never shows their password', () => {
    const t = queueTarget('redis://:s3cret@10.0.0.5:6380/2', 'course-a');
    assert.strictEqual(t.shown, 'redis://:***@10.0.0.5:6380/2');
    assert.strictEqual(t.queue, 'course-a');
    assert.strictEqual(maskUrl('rediss://user:pw@host:6379'), 'rediss://user:***@host:6379');
    assert.strictEqual(maskUrl('redis://host:6379'), 'redis://host:6379');
    assert.strictEqual(queueTarget('redis://localhost').queue, 'jobs');
  });

  it('says what a valid URL and queue name look like', () => {
    assert.throws(() => queueTarget('localhost:6379'), /is not a Redis URL/);
    assert.throws(() => queueTarget('http://pw@host:6379'), /it starts with http:\/\/\)/);
    assert.throws(() => queueTarget('redis://:pw@host:6379/abc'), /database after the host must be a number/);
    assert.throws(() => queueTarget('redis://host', 'a b'), /not a queue name/);
    assert.throws(
      () => queueTarget('not a url at all :pw@'),
      (err: Error) => !err.message.includes(':pw@'),
    );
  });
});
