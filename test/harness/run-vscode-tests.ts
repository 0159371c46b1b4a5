// Runs the extension's integration suite inside a real VS Code (code-server) extension host, driven by
// Chromium, against the sandbox Bitbucket server. Exits with the suite's exit code.
//
//   node out/test/harness/run-vscode-tests.js [--tests out/test/integration/index.js] [--timeout 600]
//                                             [--language qps-ploc]
//
// The page loads the workbench with a `payload` naming the extension under development and the tests
// module; VS Code awaits the module's `run()` in the extension host, forwards console output to
// `window.codeAutomationLog` and reports the result through `window.codeAutomationExit`.
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import * as util from 'node:util';

import { screenshot } from './browser';
import { Cleanup } from './cleanup';
import { repoRoot, requireBuilt, resultsDir } from './paths';
import { harnessLog, startWorkbench, Workbench } from './workbench';

const DEFAULT_TIMEOUT_S = 600;

interface Options {
  tests: string;
  timeoutMs: number;
  /** The workbench's display language (see WorkbenchOptions.displayLanguage); English when absent. */
  language?: string;
}

function parseArgs(argv: string[]): Options {
  const options: Options = {
    tests: path.join(repoRoot, 'out', 'test', 'integration', 'index.js'),
    timeoutMs: Number(process.env.BITBUCKET_TEST_TIMEOUT_S || DEFAULT_TIMEOUT_S) * 1000,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    if (flag === '--tests') options.tests = path.resolve(value());
    else if (flag === '--timeout') options.timeoutMs = Number(value()) * 1000;
    else if (flag === '--language') options.language = value();
    else throw new Error(`Unknown option ${argv[i]}. Usage: run-vscode-tests [--tests FILE] [--timeout SECONDS] [--language ID]`);
  }
  if (!(options.timeoutMs > 0)) throw new Error('--timeout needs a positive number of seconds');
  return options;
}

/** Workbench errors that are expected offline and say nothing about the extension. */
const OFFLINE_NOISE = [/ENOTFOUND/, /open-vsx\.org/, /marketplace/i, /Failed to fetch/];

/**
 * Prints what arrives through `codeAutomationLog`: the reporter's lines (tagged by
 * test/integration/index.ts); anything else logged while the suite runs (the tests' own console output);
 * and unexpected workbench errors. The rest of the workbench's own log shows with BITBUCKET_HARNESS_VERBOSE.
 */
function logPrinter(tag: string, verbose: boolean): { print: (type: string, args: unknown[]) => void; suiteEnded: () => void } {
  let suiteRunning = false;
  return {
    print(type, args) {
      const text = util.format(...args);
      const stream = type === 'error' || type === 'warn' ? process.stderr : process.stdout;
      if (text.startsWith(tag)) {
        suiteRunning = true;
        stream.write(`${text.slice(tag.length)}\n`);
      } else if (verbose) {
        process.stderr.write(`[workbench ${type}] ${text}\n`);
      } else if (OFFLINE_NOISE.some((noise) => noise.test(text))) {
        // Expected offline; says nothing about the extension.
      } else if (suiteRunning) {
        stream.write(`${text}\n`);
      } else if (type === 'error') {
        process.stderr.write(`[workbench ${type}] ${text}\n`);
      }
    },
    suiteEnded() {
      suiteRunning = false;
    },
  };
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  const cleanup = new Cleanup();
  cleanup.onSignals();
  const started = Date.now();

  let workbench: Workbench | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    requireBuilt('dist/extension.js', path.relative(repoRoot, options.tests));
    let reportExit!: (code: number) => void;
    const suiteExit = new Promise<number>((resolve) => (reportExit = resolve));
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `Timed out after ${options.timeoutMs / 1000} s waiting for the suite to finish ` +
                '(raise it with --timeout SECONDS or BITBUCKET_TEST_TIMEOUT_S).',
            ),
          ),
        options.timeoutMs,
      );
    });

    const tag = `<<suite:${randomUUID().slice(0, 8)}>>`;
    const log = logPrinter(tag, Boolean(process.env.BITBUCKET_HARNESS_VERBOSE));
    const opening = startWorkbench({
      label: 'integration',
      cleanup,
      displayLanguage: options.language,
      env: { BITBUCKET_SUITE_LOG_TAG: tag },
      payload: { extensionDevelopmentPath: repoRoot, extensionTestsPath: options.tests },
      beforeNavigate: async (page) => {
        await page.exposeFunction('codeAutomationLog', log.print);
        await page.exposeFunction('codeAutomationExit', (code: number) => {
          log.suiteEnded();
          reportExit(code);
        });
      },
    });
    workbench = await Promise.race([opening, timedOut]);
    const { server, page } = workbench;
    const serverDied = server.exited.then((code) => {
      throw new Error(`code-server exited (${code}) before the suite finished.\n${server.logTail()}`);
    });
    const pageClosed = new Promise<never>((_, reject) => {
      page.once('crash', () => reject(new Error('The workbench page crashed.')));
      page.once('close', () => reject(new Error('The workbench page closed before the suite finished.')));
    });

    const code = await Promise.race([suiteExit, timedOut, serverDied, pageClosed]);
    harnessLog(`suite exited with code ${code} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    if (code !== 0) await screenshot(page, path.join(resultsDir, 'integration-failure.png'));
    return code;
  } catch (error) {
    if (cleanup.started) return 1; // Stopped by a signal; the handler reports it and exits.
    console.error(`[harness] ${error instanceof Error ? error.message : String(error)}`);
    if (workbench) {
      const file = await screenshot(workbench.page, path.join(resultsDir, 'integration-failure.png'));
      if (file) harnessLog(`screenshot: ${path.relative(repoRoot, file)}`);
      harnessLog(`code-server log (last lines):\n${workbench.server.logTail()}`);
    }
    return 1;
  } finally {
    clearTimeout(timer);
    await cleanup.run();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
