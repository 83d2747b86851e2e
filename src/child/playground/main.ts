// Entry point of the playground's child process: validates every message from the host, hands it
// to the worker, and sends the worker's messages back. Training never runs in the extension host
// (it would stall the editor) nor in the webview (it would stall drawing).
import * as os from 'os';
import { parseHostToChild, type ChildToHost } from '../../core/playground/protocol';
import { chooseBackend } from '../common/tfjsBackend';
import { tfjsReason } from './engines';
import { PlaygroundWorker } from './trainer';

// Training flat out takes a whole core; below-normal priority leaves the editor and the drawing of
// the panel (other processes) first in line for the CPU.
try {
  os.setPriority(os.constants.priority.PRIORITY_BELOW_NORMAL);
} catch {
  // Not permitted here: training still works, at normal priority.
}

function send(message: ChildToHost): void {
  if (process.send && process.connected) process.send(message);
}

const worker = new PlaygroundWorker({
  send,
  loadTensorFlow: async () => {
    // The cpu backend on purpose: see tfjsReason.
    const choice = await chooseBackend('cpu');
    return {
      tf: choice.tf,
      info: { engine: 'tfjs', backend: choice.backend, reason: tfjsReason(choice.versions.tfjs ?? '?', choice.backend), versions: choice.versions },
    };
  },
});

let dropped = 0;
process.on('message', (raw: unknown) => {
  const parsed = parseHostToChild(raw);
  if (!parsed.ok) {
    // Never acted on; reported (a few times) so a broken host shows up in its log.
    if (++dropped <= 20) send({ type: 'log', level: 'warn', message: `the trainer dropped a malformed message ${parsed.reason}` });
    return;
  }
  worker.handle(parsed.message);
});

process.on('uncaughtException', (err) => {
  send({ type: 'log', level: 'error', message: `the trainer failed: ${err.stack ?? err.message}` });
  process.exit(1);
});

// The host went away (panel closed, window reloaded): nothing is listening, so stop.
process.on('disconnect', () => {
  worker.stop();
  process.exit(0);
});
