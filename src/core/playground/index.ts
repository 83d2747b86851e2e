// The neural-network playground's engine: data sets, features, a small exact trainer, heat map,
// presets and code export. Plain TypeScript without Node-only imports, so the extension host, a
// child process or the webview itself can run it.
export * from './random';
export * from './datasets';
export * from './features';
export * from './network';
export * from './heatmap';
export * from './config';
export * from './session';
export * from './presets';
export * from './exportCode';
