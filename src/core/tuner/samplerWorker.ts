// The sampler worker thread (bundled as dist/samplerWorker.js): answers each ask from the study's
// thread with the sampler's proposal, so that a sampler that computes for a second (the Gaussian
// process) never blocks that thread — in VS Code, the extension host. It keeps nothing between
// asks; see samplerProtocol.ts for the messages.
import { parentPort } from 'worker_threads';
import { answerAsk } from './samplerProtocol';

if (!parentPort) throw new Error('samplerWorker.js runs as a worker thread (new Worker(file)), not on its own');
const port = parentPort;
port.on('message', (message: unknown) => port.postMessage(answerAsk(message)));
