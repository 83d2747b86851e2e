// The mocha suites that run inside a real VS Code, shared by both launchers (code-server in a browser,
// and @vscode/test-electron where a desktop VS Code can be downloaded or is installed).
export interface VsCodeSuite {
  name: string;
  /** Compiled test files in out/test/vscode/suite/. */
  files: string[];
  /** Whether the workspace opens trusted (the trust suite needs it untrusted). */
  trusted: boolean;
}

export const SUITES: readonly VsCodeSuite[] = [
  { name: 'api', files: ['extension.test.js', 'editor.test.js'], trusted: true },
  { name: 'trust', files: ['trust.test.js', 'hostileFolder.test.js'], trusted: false },
];

/**
 * The suites to run: MLLABS_VSCODE_ONLY names one (or "ui", which is no suite), and
 * MLLABS_TEST_FILES (comma-separated) replaces its files, e.g. to run one file while working on it.
 */
export function selectedSuites(env: NodeJS.ProcessEnv = process.env): VsCodeSuite[] {
  const only = env.MLLABS_VSCODE_ONLY;
  const chosen = SUITES.filter((s) => !only || s.name === only);
  const files = (env.MLLABS_TEST_FILES ?? '').split(',').filter(Boolean);
  return files.length ? chosen.map((s) => ({ ...s, files })) : chosen;
}
