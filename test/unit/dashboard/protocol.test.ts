import * as assert from 'assert';
import { DASHBOARD_RUN_STATUSES, LIMITS } from '../../../src/core/dashboard/records';
import { DashboardViewState, DEFAULT_VIEW_STATE, parseHostToWebview, parseWebviewToHost } from '../../../src/core/dashboard/protocol';
import { RUN_STATUSES } from '../../../src/core/run/store';
import { goodHostMessages, goodWebviewMessages, run, TINY_PNG } from './fixtures';

function rejectsHost(raw: unknown): string {
  const r = parseHostToWebview(raw);
  assert.strictEqual(r.ok, false, `accepted ${JSON.stringify(raw)?.slice(0, 200)}`);
  return r.ok ? '' : r.reason;
}

function rejectsWebview(raw: unknown): string {
  const r = parseWebviewToHost(raw);
  assert.strictEqual(r.ok, false, `accepted ${JSON.stringify(raw)?.slice(0, 200)}`);
  return r.ok ? '' : r.reason;
}

describe('dashboard protocol', () => {
  it('accepts every well-formed message in both directions, after a JSON round trip', () => {
    for (const m of goodHostMessages) {
      const r = parseHostToWebview(JSON.parse(JSON.stringify(m)));
      assert.ok(r.ok, `${m.type}: ${r.ok ? '' : r.reason}`);
    }
    for (const m of goodWebviewMessages) {
      const r = parseWebviewToHost(JSON.parse(JSON.stringify(m)));
      assert.ok(r.ok, `${m.type}: ${r.ok ? '' : r.reason}`);
    }
  });

  it('rejects non-messages, unknown types and messages meant for the other side', () => {
    for (const raw of [null, undefined, 42, 'ready', [], {}, { type: 'Ready' }, { kind: 'ready' }, { type: 'eval', code: 'alert(1)' }]) {
      rejectsHost(raw);
      rejectsWebview(raw);
    }
    rejectsHost({ type: 'ready' });
    rejectsWebview(goodHostMessages[2]);
  });

  it('says which message and field was wrong, without echoing the payload', () => {
    const reason = rejectsHost({ type: 'epochs', runId: 'r1', epochs: { epoch: [1], elapsedMs: [1], metrics: { loss: ['<img src=x>'] } } });
    assert.ok(reason.startsWith('"epochs"'), reason);
    assert.ok(!reason.includes('<img'), reason);
  });

  it('rejects forged epoch batches: unequal columns, repeated or non-integer epochs, non-numbers', () => {
    const base = { type: 'epochs', runId: 'r1' };
    const bad: unknown[] = [
      { epoch: [1, 2], elapsedMs: [1], metrics: {} },
      { epoch: [1, 2], elapsedMs: [1, 2], metrics: { loss: [1] } },
      { epoch: [2, 2], elapsedMs: [1, 2], metrics: {} },
      { epoch: [2, 1], elapsedMs: [1, 2], metrics: {} },
      { epoch: [0], elapsedMs: [1], metrics: {} },
      { epoch: [1.5], elapsedMs: [1], metrics: {} },
      { epoch: [1], elapsedMs: [-1], metrics: {} },
      { epoch: [1], elapsedMs: [1], metrics: { loss: [Number.POSITIVE_INFINITY] } },
      { epoch: [1], elapsedMs: [1], metrics: { loss: [Number.NaN] } },
      { epoch: [1], elapsedMs: [1], metrics: { loss: ['1'] } },
      { epoch: [1], elapsedMs: [1], metrics: { 'bad name!': [1] } },
      { epoch: [1], elapsedMs: [1], metrics: { constructor: [1] } },
      { epoch: '1', elapsedMs: [1], metrics: {} },
    ];
    for (const epochs of bad) rejectsHost({ ...base, epochs });
    // A "__proto__" key never reaches the prototype: zod leaves it out of what it returns.
    const r = parseHostToWebview(JSON.parse('{"type":"epochs","runId":"r1","epochs":{"epoch":[1],"elapsedMs":[1],"metrics":{"__proto__":[1]}}}'));
    if (r.ok && r.message.type === 'epochs') {
      assert.deepStrictEqual(Object.keys(r.message.epochs.metrics), []);
      assert.strictEqual(Object.getPrototypeOf(r.message.epochs.metrics), Object.prototype);
    }
  });

  it('rejects runs with an unknown status or a marker that is not a known stop', () => {
    rejectsHost({ type: 'run', run: { ...run, status: 'hacked' } });
    rejectsHost({ type: 'run', run: { ...run, marker: { kind: 'exploded', message: 'x' } } });
    rejectsHost({ type: 'snapshot', lab: { id: 'a', title: 'a', folder: '/a' }, charts: ['pie'], runs: [], warnings: [] });
  });

  it('accepts only real PNG data URLs within the size limit for savePng', () => {
    const bad = [
      'data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=',
      'data:text/html;base64,PGgxPmhpPC9oMT4=',
      'javascript:alert(1)',
      'https://example.com/x.png',
      'data:image/png;base64,not base64!',
      'data:image/png,rawdata',
      TINY_PNG + '"',
      'data:image/png;base64,' + 'A'.repeat(LIMITS.pngDataUrl),
    ];
    for (const dataUrl of bad) rejectsWebview({ type: 'savePng', chart: 'loss', dataUrl });
    rejectsWebview({ type: 'savePng', chart: 'secrets', dataUrl: TINY_PNG });
  });

  it('accepts only lab-relative locations for openLocation', () => {
    for (const file of ['../outside.ts', '/etc/passwd', 'C:\\Windows\\win.ini', 'a/../../b.ts', '\\\\server\\share', '']) {
      rejectsWebview({ type: 'openLocation', file, line: 1, column: 1 });
    }
    rejectsWebview({ type: 'openLocation', file: 'model.ts', line: 0, column: 1 });
    rejectsWebview({ type: 'openLocation', file: 'model.ts', line: 1.5, column: 1 });
  });

  it('keeps its status list equal to the run store’s', () => {
    assert.deepStrictEqual([...DASHBOARD_RUN_STATUSES], [...RUN_STATUSES]);
  });

  it('validates the saved view state, so a stale or tampered state falls back to defaults', () => {
    assert.ok(DashboardViewState.safeParse(DEFAULT_VIEW_STATE).success);
    assert.ok(DashboardViewState.safeParse({ ...DEFAULT_VIEW_STATE, folder: '/labs/h', hidden: ['r1'], selected: 'r1' }).success);
    assert.ok(!DashboardViewState.safeParse({ ...DEFAULT_VIEW_STATE, smoothing: 5 }).success);
    assert.ok(!DashboardViewState.safeParse({ version: 2 }).success);
  });
});
