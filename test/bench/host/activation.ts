/**
 * Bench module for one cold start (`extensionTestsPath`): how long a fresh extension host took to load and
 * activate the extension, from VS Code's own marks, and, when nothing had activated it yet, the wall time
 * of `extension.activate()` called here. Writes the figures for the launcher. The extension is ours unless
 * the launcher names another in the environment: the baseline, whose activate() returns no API and logs nothing.
 */
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { BitbucketRepositoriesApi } from '../../../src/extension';
import {
  ACTIVATED_LINE,
  ActivationResult,
  BITBUCKET_EXTENSION_ID,
  EXTENSION_ID_ENV,
  EXTENSION_LOG,
  errorText,
  readLogs,
  say,
  writeResult,
} from './hostReport';

const EXTENSION_ID = process.env[EXTENSION_ID_ENV] || BITBUCKET_EXTENSION_ID;
/** Only ours has an API to wait for and a log to write. */
const OURS = EXTENSION_ID === BITBUCKET_EXTENSION_ID;
/** Lets the built-in extensions that start with the host finish, so they do not share the CPU with ours. */
const SETTLE_MS = 2_000;

interface Mark {
  name: string;
  startTime: number;
}

/** VS Code's own performance marks in this host; its polyfill keeps them on globalThis. */
function hostMarks(): Mark[] {
  const marks = (globalThis as { MonacoPerformanceMarks?: { getMarks(): Mark[] } }).MonacoPerformanceMarks;
  return marks?.getMarks() ?? [];
}

/**
 * Log files are written some seconds after the line is logged, and the host stops when this module returns:
 * waits until the extension's "Activated in" line is on disk for the launcher (the harness sets the variable).
 */
async function logWritten(timeoutMs = 15_000): Promise<void> {
  const userData = process.env.BITBUCKET_USER_DATA_DIR;
  const deadline = performance.now() + timeoutMs;
  while (userData && performance.now() < deadline && !ACTIVATED_LINE.test(readLogs(userData, EXTENSION_LOG))) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function markSpans(): Pick<ActivationResult, 'codeLoadingMs' | 'activateCallMs' | 'markedTotalMs'> {
  const at = (step: string) => hostMarks().find((mark) => mark.name === `code/extHost/${step}/${EXTENSION_ID}`)?.startTime;
  const span = (from?: number, to?: number) => (from === undefined || to === undefined ? undefined : to - from);
  const willLoad = at('willLoadExtensionCode');
  const didActivate = at('didActivateExtension');
  return {
    codeLoadingMs: span(willLoad, at('didLoadExtensionCode')),
    activateCallMs: span(at('willActivateExtension'), didActivate),
    markedTotalMs: span(willLoad, didActivate),
  };
}

export async function run(): Promise<void> {
  const result: ActivationResult = { kind: 'activation' };
  try {
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const extension = vscode.extensions.getExtension<BitbucketRepositoriesApi | undefined>(EXTENSION_ID);
    if (!extension) throw new Error(`${EXTENSION_ID} is not installed in this host`);
    // An activation event (onStartupFinished, the view, a command) may have started it already: then only
    // VS Code's marks saw it from the start, and timing activate() here would time a join, not a load.
    const startedBefore = hostMarks().some((mark) => mark.name === `code/extHost/willLoadExtensionCode/${EXTENSION_ID}`);
    result.triggeredBy = startedBefore || extension.isActive ? 'host' : 'bench';
    const started = performance.now();
    const api = await extension.activate();
    if (result.triggeredBy === 'bench') result.activateMs = performance.now() - started;
    if (OURS) {
      if (!api) throw new Error(`${EXTENSION_ID} returned no API from activate()`);
      await api.ready;
      if (result.triggeredBy === 'bench') result.readyMs = performance.now() - started;
    }
    Object.assign(result, markSpans());
    if (result.markedTotalMs === undefined && result.activateMs === undefined) {
      result.invalid = "neither VS Code's marks nor the bench saw the activation";
    }
    if (OURS) await logWritten();
    say(
      `${OURS ? '' : `${EXTENSION_ID} `}activated by the ${result.triggeredBy}: load to activated ${result.markedTotalMs ?? '-'} ms (marks), ` +
        `activate() ${result.activateMs?.toFixed(1) ?? '-'} ms (wall)`,
    );
  } catch (error) {
    result.error = errorText(error);
  }
  writeResult(result);
  if (result.error) throw new Error(result.error);
}
