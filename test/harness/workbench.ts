// One complete environment for tests and the demo: the sandbox Bitbucket server, code-server pointed at it
// through user settings and the environment, and Chromium showing the workbench.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Page } from 'playwright-core';

import { Sandbox, startSandbox } from '../sandbox/server';
import { DataCenterSandbox, startDataCenterSandbox } from '../sandbox/datacenter/server';
import { Browser, chromiumPath, launchBrowser } from './browser';
import { Cleanup } from './cleanup';
import {
  CodeServer,
  codeServerEnv,
  createStateDirs,
  StateDirs,
  startCodeServer,
  WorkbenchPayload,
  workbenchUrl,
  writeUserSettings,
} from './code-server';
import { ensureCodeServer } from './install-code-server';
import { freePort } from './processes';

export interface WorkbenchOptions {
  /** Names the temp folder and log lines: "integration", "ui", ... */
  label: string;
  cleanup: Cleanup;
  payload: WorkbenchPayload;
  /** Extra user settings on top of the quiet defaults and `bitbucket.apiUrl`. */
  settings?: Record<string, unknown>;
  sandboxLatencyMs?: number;
  /** Extra environment for code-server and so for the extension host. */
  env?: Record<string, string>;
  /** Runs after the page exists and before it loads the workbench: expose functions here. */
  beforeNavigate?: (page: Page) => Promise<void>;
  /**
   * The workbench's display language (`vscode.env.language`), e.g. `qps-ploc`: VS Code then loads the extension's
   * `package.nls.<language>.json` and `l10n/bundle.l10n.<language>.json`. A language pack would set it; none can
   * be downloaded here, so the page sets the global the workbench reads it from before the workbench starts.
   * VS Code's own words stay English; only the extension's change.
   */
  displayLanguage?: string;
}

export interface Workbench {
  sandbox: Sandbox;
  /** The Data Center sandbox beside it, at the context path /bitbucket. */
  dataCenter: DataCenterSandbox;
  server: CodeServer;
  browser: Browser;
  page: Page;
  dirs: StateDirs;
  url: string;
}

export function harnessLog(message: string): void {
  console.error(`[harness] ${message}`);
}

/** Keeps the temp folder (logs, settings, browser profile) for debugging when BITBUCKET_KEEP_STATE is set. */
export function makeStateRoot(label: string, cleanup: Cleanup): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `bitbucket-${label}-`));
  if (process.env.BITBUCKET_KEEP_STATE) {
    harnessLog(`keeping state in ${root}`);
  } else {
    cleanup.add('temp folder', () => fs.rmSync(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 }));
  }
  return root;
}

/**
 * Runs in the page before any of its scripts. The workbench reads its language from `_VSCODE_NLS_LANGUAGE`, which
 * its English messages script would set to `en`; this one keeps the language given.
 */
function setDisplayLanguage(language: string): void {
  Object.defineProperty(globalThis, '_VSCODE_NLS_LANGUAGE', { get: () => language, set: () => undefined, configurable: false });
}

export async function startWorkbench(options: WorkbenchOptions): Promise<Workbench> {
  const { cleanup } = options;
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  chromiumPath(); // Fail before the slow steps when the browser is missing.
  const install = await ensureCodeServer();

  const dirs = createStateDirs(makeStateRoot(options.label, cleanup));
  const sandbox = await startSandbox({ port: await freePort(), latencyMs: options.sandboxLatencyMs });
  cleanup.add('sandbox', () => sandbox.close());
  harnessLog(`sandbox at ${sandbox.url} (${elapsed()})`);
  // A Bitbucket Data Center server beside it, under a context path as many real ones are.
  const dataCenter = await startDataCenterSandbox({ port: await freePort(), contextPath: '/bitbucket' });
  cleanup.add('Data Center sandbox', () => dataCenter.close());

  writeUserSettings(dirs, { 'bitbucket.apiUrl': sandbox.apiUrl, ...options.settings });
  const { env, marker } = codeServerEnv(dirs, {
    ...options.env,
    BITBUCKET_SANDBOX_URL: sandbox.url,
    BITBUCKET_DATACENTER_SANDBOX_URL: dataCenter.url,
  });
  const server = await startCodeServer({
    install,
    dirs,
    env,
    marker,
    cleanup,
    echo: Boolean(process.env.BITBUCKET_HARNESS_VERBOSE),
  });
  harnessLog(`code-server ${install.version} at ${server.url} (${elapsed()})`);

  const browser = await launchBrowser({ profileDir: dirs.browserProfile, env, cleanup });
  const { page } = browser;
  page.on('pageerror', (error) => {
    if (process.env.BITBUCKET_HARNESS_VERBOSE) harnessLog(`page error: ${error.message}`);
  });
  await options.beforeNavigate?.(page);
  if (options.displayLanguage) await page.addInitScript(setDisplayLanguage, options.displayLanguage);
  const url = workbenchUrl(server, dirs.workspace, options.payload);
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
  harnessLog(`workbench opened in Chromium (${elapsed()})`);
  return { sandbox, dataCenter, server, browser, page, dirs, url };
}
