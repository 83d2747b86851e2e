// Runs a sampler in a worker thread, so that a sampler that computes for a second per trial (the
// Gaussian process) leaves the study's thread free — in VS Code that thread is the extension
// host's, which must never freeze. The proposals are those of the same sampler run in-process:
// each ask sends the whole view and the trial number, and the worker keeps nothing between asks.
//
// The worker starts at the first ask, serves every ask of the study, and ends with close() (the
// study runner calls it when the study ends). While no ask is pending it does not keep the
// process alive. Should it fail to start, crash or answer nonsense, the sampler runs on this thread
// instead, with one warning: a study never fails because of its worker.
import * as fs from 'fs';
import { Worker } from 'worker_threads';
import { SamplerReply, samplerFromChoice, type AskMessage, type SamplerChoice } from '../samplerProtocol';
import { errorMessage } from '../scheduler';
import type { StudyView } from '../study';
import type { Proposal, Sampler, SamplerContext, SyncSampler } from './sampler';

export interface WorkerSamplerOptions {
  /** The worker's script: dist/samplerWorker.js (built from src/core/tuner/samplerWorker.ts). */
  script: string;
  /** The sampler that runs in the worker. */
  sampler: SamplerChoice;
}

interface PendingAsk {
  view: StudyView;
  number: number;
  context: SamplerContext | undefined;
  resolve(proposal: Proposal): void;
  reject(error: unknown): void;
}

/** An ask as this side sends it (the view's arrays are read-only here; the worker gets copies). */
type AskInput = Omit<AskMessage, 'view'> & { view: StudyView };

const NAMES: Record<SamplerChoice['kind'], string> = { 'gaussian-process': 'Bayesian', random: 'random', grid: 'grid' };

export class WorkerSampler implements Sampler {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, PendingAsk>();
  private nextId = 1;
  /** Why the worker is not used (until close): the sampler then runs on this thread. */
  private failure: string | undefined;
  private warned = false;
  private readonly local: SyncSampler;

  constructor(private readonly options: WorkerSamplerOptions) {
    this.local = samplerFromChoice(options.sampler);
  }

  ask(study: StudyView, number: number, context?: SamplerContext): Proposal | Promise<Proposal> {
    // The view as it is now: the caller's trials change while the worker computes, and the
    // in-process fallback of a crashed worker must answer the same view.
    const view: StudyView = structuredClone({ spec: study.spec, space: study.space, trials: study.trials });
    if (this.failure !== undefined) return this.inProcess(view, number, context);
    let worker: Worker;
    try {
      worker = this.start();
    } catch (err) {
      this.failure = `it could not start: ${errorMessage(err)}`;
      return this.inProcess(view, number, context);
    }
    const id = this.nextId++;
    const message = { type: 'ask', id, sampler: this.options.sampler, view, number } satisfies AskInput;
    return new Promise<Proposal>((resolve, reject) => {
      this.pending.set(id, { view, number, context, resolve, reject });
      this.updateRef();
      try {
        worker.postMessage(message);
      } catch (err) {
        this.fail(worker, `the ask could not be sent: ${errorMessage(err)}`);
      }
    });
  }

  /** Ends the worker; asks still pending are rejected. The next ask starts a new worker. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.failure = undefined;
    this.warned = false;
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(new Error('the sampler was closed before it answered'));
    if (worker) await worker.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const script = this.options.script;
    if (!fs.existsSync(script)) throw new Error(`its script ${script} does not exist`);
    // No inherited execArgv: the host's flags (an inspector port…) are not the worker's business.
    const worker = new Worker(script, { execArgv: [] });
    this.worker = worker;
    worker.on('message', (raw: unknown) => this.receive(worker, raw));
    worker.on('messageerror', (err) => this.fail(worker, `a reply could not be read: ${errorMessage(err)}`));
    worker.on('error', (err) => this.fail(worker, `it failed: ${errorMessage(err)}`));
    worker.on('exit', (code) => this.fail(worker, `it stopped (exit code ${code})`));
    this.updateRef();
    return worker;
  }

  private receive(worker: Worker, raw: unknown): void {
    if (worker !== this.worker) return;
    const parsed = SamplerReply.safeParse(raw);
    if (!parsed.success) return this.fail(worker, 'it sent a message that is not a sampler reply');
    const reply = parsed.data;
    if (reply.type === 'invalid') return this.fail(worker, `it refused an ask (${reply.message})`);
    const ask = this.pending.get(reply.id);
    if (!ask) return; // An ask given up by close().
    this.pending.delete(reply.id);
    this.updateRef();
    if (reply.type === 'proposal') ask.resolve(reply.params ?? undefined);
    else ask.reject(new Error(reply.message));
  }

  /** The worker cannot be used: it is ended, and its pending asks are answered on this thread. */
  private fail(worker: Worker, reason: string): void {
    if (worker !== this.worker) return;
    this.worker = undefined;
    this.failure = reason;
    worker.terminate().catch(() => undefined);
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) {
      try {
        p.resolve(this.inProcess(p.view, p.number, p.context));
      } catch (err) {
        p.reject(err);
      }
    }
  }

  private inProcess(view: StudyView, number: number, context: SamplerContext | undefined): Proposal {
    if (!this.warned) {
      this.warned = true;
      const message = `the ${NAMES[this.options.sampler.kind]} sampler runs on the main thread, not in its worker thread (${this.failure}): its proposals are the same, but the program may not respond while each is computed`;
      if (context) context.warn(message);
      else process.emitWarning(message);
    }
    return this.local.ask(view, number);
  }

  /** The worker keeps the process alive only while an ask waits for it. */
  private updateRef(): void {
    if (!this.worker) return;
    if (this.pending.size > 0) this.worker.ref();
    else this.worker.unref();
  }
}
