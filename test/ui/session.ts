// A UI test's view of the editor: the workbench with the extension under development loaded, opened in
// Chromium, plus `step()`, which screenshots every step into test-results/screenshots/<test>-<step>.png
// (and <test>-<step>-failed.png when the step throws).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Locator, Page } from 'playwright-core';

import { screenshot } from '../harness/browser';
import { Cleanup } from '../harness/cleanup';
import { repoRoot, requireBuilt, screenshotsDir } from '../harness/paths';
import { startWorkbench, Workbench } from '../harness/workbench';

export class UiSession {
  private stepNumber = 0;
  private failed = false;

  private constructor(
    readonly testName: string,
    readonly workbench: Workbench,
    private readonly cleanup: Cleanup,
  ) {}

  /**
   * Opens the workbench with the repo's built extension loaded as the extension under development, the way
   * F5 would: the page's `payload` names the repo root, so dist/extension.js is used as built, no packaging.
   */
  static async open(testName: string): Promise<UiSession> {
    requireBuilt('dist/extension.js');
    const cleanup = new Cleanup();
    cleanup.onSignals();
    for (const file of fs.existsSync(screenshotsDir) ? fs.readdirSync(screenshotsDir) : []) {
      if (file.startsWith(`${testName}-`)) fs.rmSync(path.join(screenshotsDir, file));
    }
    try {
      const workbench = await startWorkbench({
        label: `ui-${testName}`,
        cleanup,
        payload: { extensionDevelopmentPath: repoRoot },
      });
      const session = new UiSession(testName, workbench, cleanup);
      await session.waitForWorkbench();
      return session;
    } catch (error) {
      await cleanup.run();
      throw error;
    }
  }

  get page(): Page {
    return this.workbench.page;
  }

  /**
   * Runs one step and screenshots the result. After a failed step the later ones are skipped (they would
   * only fail for the same reason), so the first failure and its screenshot are what the report shows.
   */
  async step(name: string, action: (page: Page) => Promise<void>): Promise<void> {
    const label = `${String(++this.stepNumber).padStart(2, '0')}-${name}`;
    if (this.failed) throw quietError(`not run: an earlier step of ${this.testName} failed`);
    try {
      await action(this.page);
    } catch (error) {
      this.failed = true;
      if (this.cleanup.started) throw quietError('stopped: the run was interrupted');
      const file = await screenshot(this.page, path.join(screenshotsDir, `${this.testName}-${label}-failed.png`));
      const reason = error instanceof Error ? error.message : String(error);
      const where = file ? `\n  screenshot: ${path.relative(repoRoot, file)}` : '';
      throw new Error(`step ${label} failed: ${reason}${where}`, { cause: error });
    }
    await screenshot(this.page, path.join(screenshotsDir, `${this.testName}-${label}.png`));
  }

  async close(): Promise<void> {
    await this.cleanup.run();
  }

  /** The workbench is usable once its parts are laid out and the extension host has started. */
  private async waitForWorkbench(): Promise<void> {
    await this.page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60_000 });
    await this.page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 60_000 });
  }

  // Person-like helpers, shared by the UI tests.

  /** Opens the command palette with F1 and types `text` after its `>`. */
  async openCommandPalette(text = ''): Promise<void> {
    await this.page.locator('.monaco-workbench').click({ position: { x: 700, y: 300 } });
    await this.page.keyboard.press('F1');
    await this.quickInputBox().waitFor({ state: 'visible' });
    if (text) await this.page.keyboard.type(text);
  }

  /** Replaces what the open quick input (palette, quick pick, input box) holds. */
  async filterQuickInput(text: string): Promise<void> {
    await this.quickInputBox().fill(text);
  }

  /** A row of the open quick input's list, by the text it shows. */
  quickInputRow(text: string): Locator {
    return this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: text }).first();
  }

  private quickInputBox(): Locator {
    return this.page.locator('.quick-input-widget .quick-input-box input');
  }

  async closeQuickInput(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  /** The activity-bar entry whose tooltip/label starts with `title`. */
  activityBarItem(title: string): Locator {
    return this.page.locator(`.part.activitybar .action-item a.action-label[aria-label^="${title}"]`);
  }

  /** A view's pane in the side bar, found by its header title. */
  sideBarPane(viewName: string): Locator {
    return this.page.locator('.part.sidebar .pane').filter({
      has: this.page.locator('.pane-header h3.title', { hasText: viewName }),
    });
  }
}

/** An error whose stack would say nothing useful. */
function quietError(message: string): Error {
  const error = new Error(message);
  error.stack = message;
  return error;
}

/** The extension's manifest, so UI tests follow its contributions as they grow. */
export function manifest(): {
  contributes?: {
    viewsContainers?: { activitybar?: { id: string; title: string }[] };
    views?: Record<string, { id: string; name: string }[]>;
    viewsWelcome?: { view: string; contents: string; when?: string }[];
    commands?: { command: string; title: string; category?: string }[];
    menus?: { commandPalette?: { command: string; when?: string }[] };
  };
} {
  return JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
}
