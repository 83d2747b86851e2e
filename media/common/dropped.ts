/**
 * Warns in the console that a malformed message from the host was dropped: the first twenty, then
 * every hundredth, so a flood of bad messages does not flood the console too. `count` includes this one.
 */
export function warnDropped(prefix: string, count: number, reason: string): void {
  if (count <= 20 || count % 100 === 0) console.warn(`${prefix} dropped a malformed message ${reason}`);
}
