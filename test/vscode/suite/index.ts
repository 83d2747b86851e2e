// The entry point VS Code's test runner loads in the extension host (`extensionTestsPath`): runs the
// integration tests with mocha against the real `vscode` API. Used by both launchers (code-server in a
// browser, and @vscode/test-electron where a desktop VS Code exists).
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 90_000, reporter: 'spec' });
  const grep = process.env.MLLABS_TEST_GREP;
  if (grep) mocha.grep(grep);
  const files = (process.env.MLLABS_TEST_FILES ?? '')
    .split(',')
    .filter(Boolean)
    .map((f) => path.join(__dirname, f));
  const all = files.length
    ? files
    : fs
        .readdirSync(__dirname)
        .filter((f) => f.endsWith('.test.js'))
        .map((f) => path.join(__dirname, f));
  for (const f of all) mocha.addFile(f);
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} test(s) failed`)) : resolve()));
  });
}
