// Opens Debian's Chromium through playwright-core with a fresh profile, for the web workbench.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BrowserContext, chromium, Page } from 'playwright-core';

import { Cleanup } from './cleanup';

export function chromiumPath(): string {
  const executable = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!fs.existsSync(executable)) {
    throw new Error(
      `Chromium was not found at ${executable}. Install Debian's "chromium" package ` +
        '(apt-get install chromium) or point CHROMIUM_PATH at a Chromium or Chrome binary.',
    );
  }
  return executable;
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

export async function launchBrowser(options: {
  profileDir: string;
  env: NodeJS.ProcessEnv;
  cleanup: Cleanup;
  headless?: boolean;
}): Promise<Browser> {
  const context = await chromium.launchPersistentContext(options.profileDir, {
    executablePath: chromiumPath(),
    headless: options.headless ?? true,
    env: options.env,
    viewport: { width: 1400, height: 900 },
    args: [
      // As root Chromium refuses to start with its sandbox on.
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-default-apps',
      '--disable-extensions',
      '--no-first-run',
      '--no-default-browser-check',
      '--password-store=basic',
    ],
    // The launchers install their own signal handlers and close the browser in their cleanup.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  const close = options.cleanup.add('chromium', () => context.close());
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page, close };
}

/** Saves a full-window screenshot; never throws, since it usually runs while reporting another error. */
export async function screenshot(page: Page, file: string): Promise<string | undefined> {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await page.screenshot({ path: file, timeout: 10_000 });
    return file;
  } catch (error) {
    console.error(`[harness] could not save screenshot ${file}: ${(error as Error).message}`);
    return undefined;
  }
}
