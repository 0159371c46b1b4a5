// Entry point for the pseudo-locale suite: the extension in a workbench whose display language is `qps-ploc`
// (`node out/test/harness/run-vscode-tests.js --language qps-ploc --tests out/test/l10n/index.js`).
import { runTestsIn } from '../integration/index';

export function run(): Promise<void> {
  return runTestsIn(__dirname, 'pseudo-locale');
}
