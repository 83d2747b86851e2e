// The runner's IPC protocol lives in run/protocol.ts; this re-export serves grade/causes.ts and
// grade/diagnose.ts until they import from there.
export * from './run/protocol';
