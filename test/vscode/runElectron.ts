// Runs the same integration suite in a desktop VS Code through @vscode/test-electron. It downloads
// VS Code unless VSCODE_EXECUTABLE names an installed one (required on offline machines).
//   VSCODE_EXECUTABLE=/path/to/code node out/test/vscode/runElectron.js
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const repo = path.resolve(__dirname, '..', '..', '..');
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'mllabs-electron-'));
  await runTests({
    extensionDevelopmentPath: repo,
    extensionTestsPath: path.join(repo, 'out', 'test', 'vscode', 'suite', 'index.js'),
    vscodeExecutablePath: process.env.VSCODE_EXECUTABLE,
    version: process.env.VSCODE_EXECUTABLE ? undefined : '1.100.3',
    launchArgs: [workspace, '--disable-workspace-trust', '--disable-extensions'],
    extensionTestsEnv: { MLLABS_TEST_FILES: 'extension.test.js' },
  });
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
