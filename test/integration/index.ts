// Entry point VS Code loads in the extension host (`extensionTestsPath`): runs every compiled
// `*.test.js` next to this file with mocha and rejects when any test fails. Launcher-agnostic: the same
// module runs under code-server (test/harness/run-vscode-tests.ts) and desktop VS Code (run-desktop-tests.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as util from 'node:util';
import Mocha from 'mocha';

function findTests(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.test.js'))
    .map((file) => path.join(dir, file))
    .sort();
}

/**
 * In the web workbench, the extension host's console and the workbench's own log reach the launcher through
 * one channel. The code-server launcher sets BITBUCKET_SUITE_LOG_TAG; prefixing the reporter's lines with it
 * lets the launcher tell the suite's output from the workbench's chatter. (VS Code's console forwarder makes
 * `console.log` itself read-only in the extension host, so the reporter's own hook is the place to do it.)
 * Formats `%s`-style arguments here too, since the channel passes arguments on unformatted.
 */
function tagReporterOutput(tag: string): () => void {
  const base = Mocha.reporters.Base as unknown as { consoleLog: (...args: unknown[]) => void };
  const original = base.consoleLog;
  base.consoleLog = (...args: unknown[]) => original(tag + util.format(...args));
  return () => {
    base.consoleLog = original;
  };
}

export function run(): Promise<void> {
  return runTestsIn(__dirname, 'integration');
}

/** Runs every compiled `*.test.js` under `dir` (the pseudo-locale suite in test/l10n uses it too). */
export async function runTestsIn(dir: string, suite: string): Promise<void> {
  const tag = process.env.BITBUCKET_SUITE_LOG_TAG;
  const untag = tag ? tagReporterOutput(tag) : () => undefined;
  try {
    const mocha = new Mocha({
      ui: 'bdd',
      reporter: 'spec',
      // Output reaches the launcher as text through VS Code's log forwarding; escape codes would only clutter it.
      color: false,
      timeout: Number(process.env.BITBUCKET_MOCHA_TIMEOUT_MS || 20_000),
      grep: process.env.BITBUCKET_MOCHA_GREP || undefined,
    });
    for (const file of findTests(dir)) mocha.addFile(file);
    const failures = await new Promise<number>((resolve) => mocha.run(resolve));
    if (failures > 0) throw new Error(`${failures} ${suite} test${failures === 1 ? '' : 's'} failed.`);
  } finally {
    untag();
  }
}
