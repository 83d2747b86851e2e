// Whether a process still runs, by its id: a lock or a run record left by a process that is gone
// may be taken over. EPERM means it runs under another user: alive.
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
