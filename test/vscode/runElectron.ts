// Runs the same VS Code suites as runCodeServer.ts (test/vscode/suites.ts) in a desktop VS Code
// through @vscode/test-electron, for machines that have one. It downloads VS Code unless
// VSCODE_EXECUTABLE names an installed one (required on offline machines):
//   VSCODE_EXECUTABLE=/path/to/code node out/test/vscode/runElectron.js
// MLLABS_VSCODE_ONLY and MLLABS_TEST_FILES select suites and files as for the code-server launcher.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runTests } from '@vscode/test-electron';
import { selectedSuites, type VsCodeSuite } from './suites';

const REPO = path.resolve(__dirname, '..', '..', '..');

async function runSuite(suite: VsCodeSuite): Promise<number> {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), `mllabs-electron-${suite.name}-`));
  try {
    return await runTests({
      extensionDevelopmentPath: REPO,
      extensionTestsPath: path.join(REPO, 'out', 'test', 'vscode', 'suite', 'index.js'),
      vscodeExecutablePath: process.env.VSCODE_EXECUTABLE,
      version: process.env.VSCODE_EXECUTABLE ? undefined : '1.100.3',
      // Workspace Trust stays on only for the suite that checks it; other extensions stay off.
      launchArgs: [workspace, ...(suite.trusted ? ['--disable-workspace-trust'] : []), '--disable-extensions'],
      extensionTestsEnv: { MLLABS_TEST_FILES: suite.files.join(',') },
    });
  } catch (err) {
    console.error(`${suite.name}: ${(err as Error).message}`);
    return 1;
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const codes: number[] = [];
  for (const suite of selectedSuites()) {
    const code = await runSuite(suite);
    console.log(`${suite.name}: ${code === 0 ? 'passed' : `failed (exit code ${code})`}`);
    codes.push(code);
  }
  process.exitCode = codes.some((c) => c !== 0) ? 1 : 0;
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
