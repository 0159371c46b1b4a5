// Runs the UI tests (test/ui/*.test.ts, compiled): each test file opens its own workbench through
// test/ui/session.ts and drives it with Playwright. This launcher checks the prerequisites first (so a cold
// code-server install does not count against a test's timeout), runs the files with node:test, bounds the
// whole run, and on timeout or Ctrl-C stops everything the tests started.
//
//   node out/test/harness/run-ui-tests.js [--timeout 600] [file ...]
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { chromiumPath } from './browser';
import { ensureCodeServer } from './install-code-server';
import { repoRoot, requireBuilt, screenshotsDir } from './paths';
import { childProcesses, exitOf, killMarked, markedProcesses, sleep } from './processes';

/**
 * A guard against a hung run, for the whole UI suite: its files, one to three minutes each and two at a time,
 * take about 7 minutes on two quiet cores and more on a loaded machine.
 */
const DEFAULT_TIMEOUT_S = 1500;

/**
 * How many test files (each its own code-server and Chromium) run at once: BITBUCKET_UI_CONCURRENCY, else
 * two where there are two CPUs. Most of a file's time is the editor starting, so two at once nearly halve
 * the run.
 */
function concurrency(): number {
  const configured = Number(process.env.BITBUCKET_UI_CONCURRENCY);
  return configured >= 1 ? Math.floor(configured) : Math.min(2, os.availableParallelism());
}

async function main(): Promise<number> {
  let timeoutMs = Number(process.env.BITBUCKET_TEST_TIMEOUT_S || DEFAULT_TIMEOUT_S) * 1000;
  const files: string[] = [];
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    if (flag === '--timeout') timeoutMs = Number(inline ?? argv[++i]) * 1000;
    else if (flag.startsWith('--')) throw new Error(`Unknown option ${flag}. Usage: run-ui-tests [--timeout SECONDS] [file ...]`);
    else files.push(path.resolve(argv[i]));
  }

  chromiumPath();
  requireBuilt('dist/extension.js', 'out/test/ui/session.js');
  await ensureCodeServer();
  const uiDir = path.join(repoRoot, 'out', 'test', 'ui');
  if (files.length === 0) {
    files.push(
      ...fs
        .readdirSync(uiDir)
        .filter((file) => file.endsWith('.test.js'))
        .map((file) => path.join(uiDir, file)),
    );
  }

  // Every process the tests start inherits this line, so a stuck run can be swept up whatever it left; and
  // their temp folders (editor state, sandbox data) go into one folder of this run, removed at the end.
  const marker = `BITBUCKET_UI_RUN=${randomUUID()}`;
  const [markerName, markerValue] = marker.split('=');
  const runTmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bitbucket-ui-run-'));
  // The tests' own git commands, too, read none of this machine's git config.
  const gitConfig = path.join(runTmp, 'gitconfig');
  fs.writeFileSync(gitConfig, '');
  const child = spawn(process.execPath, ['--test', '--test-reporter=spec', `--test-concurrency=${concurrency()}`, ...files], {
    cwd: repoRoot,
    stdio: 'inherit',
    detached: true,
    env: { ...process.env, [markerName]: markerValue, TMPDIR: runTmp, GIT_CONFIG_GLOBAL: gitConfig, GIT_CONFIG_NOSYSTEM: '1' },
  });
  const exited = exitOf(child);

  let stopping: Promise<void> | undefined;
  const stop = (reason: string) =>
    (stopping ??= (async () => {
      console.error(`[harness] ${reason}; stopping the UI tests and everything they started`);
      // SIGTERM to the test files (the runner's children) first, so each one's own cleanup closes its editor
      // and browser. The runner stays up meanwhile: were it gone, their output pipes would break mid-cleanup.
      const testFiles = childProcesses(child.pid!);
      for (const pid of testFiles) {
        try {
          process.kill(pid, 'SIGTERM');
        } catch {
          // Already gone.
        }
      }
      const deadline = Date.now() + 20_000;
      const busy = () => markedProcesses(marker).some((pid) => pid !== child.pid);
      while (busy() && Date.now() < deadline) await sleep(250);
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
      killMarked(marker);
      fs.rmSync(runTmp, { recursive: true, force: true });
    })());

  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    process.on(signal, () => void stop(`${signal} received`).then(() => process.exit(code)));
  }
  const timer = setTimeout(
    () => void stop(`UI tests did not finish within ${timeoutMs / 1000} s (raise it with --timeout SECONDS)`),
    timeoutMs,
  );

  const code = await exited;
  clearTimeout(timer);
  if (stopping) {
    await stopping;
    return 1;
  }
  killMarked(marker);
  fs.rmSync(runTmp, { recursive: true, force: true });
  console.error(`[harness] screenshots in ${path.relative(process.cwd(), screenshotsDir) || screenshotsDir}`);
  return typeof code === 'number' ? code : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[harness] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
