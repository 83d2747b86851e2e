// A watchdog thread: learner code stuck in an endless loop blocks the child's event loop, so only
// another thread can end the process if its host has died or the deadline has long passed.
import { Worker } from 'worker_threads';

const WATCHDOG = `
const { workerData } = require('worker_threads');
const { parentPid, childPid, killAt } = workerData;
setInterval(() => {
  let orphaned = false;
  try { process.kill(parentPid, 0); } catch { orphaned = true; }
  if (orphaned || Date.now() > killAt) process.kill(childPid, 'SIGKILL');
}, 500);
`;

export function startWatchdog(deadline: number, graceMs = 5000): void {
  const worker = new Worker(WATCHDOG, {
    eval: true,
    workerData: { parentPid: process.ppid, childPid: process.pid, killAt: deadline + graceMs },
  });
  worker.unref();
}
