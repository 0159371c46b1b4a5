// A UI test's view of the editor: the workbench with the extension under development loaded, opened in
// Chromium, plus `step()`, which screenshots every step into test-results/screenshots/<test>-<step>.png
// (and <test>-<step>-failed.png when the step throws).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { FrameLocator, Locator, Page } from 'playwright-core';

import { screenshot } from '../harness/browser';
import { Cleanup } from '../harness/cleanup';
import { localizedManifest, picturesDir, repoRoot, requireBuilt, screenshotsDir } from '../harness/paths';
import { startWorkbench, Workbench } from '../harness/workbench';

export interface UiSessionOptions {
  /** User settings on top of the harness's quiet defaults and `bitbucket.apiUrl`, e.g. `bitbucket.cloneDirectory`. */
  settings?: Record<string, unknown>;
  /**
   * `false` starts the window without the extension under development: no Bitbucket extension at all until the
   * test installs one (a .vsix, as a user does). Default `true`.
   */
  developmentExtension?: boolean;
  /** The workbench's display language, e.g. `qps-ploc` (see WorkbenchOptions.displayLanguage); English by default. */
  displayLanguage?: string;
}

/**
 * code-server offers every port a process on the machine listens on ("Your application running on port
 * 8080 is available"); those toasts would cover the extension's own notifications in the screenshots.
 */
const UI_SETTINGS: Record<string, unknown> = { 'remote.autoForwardPorts': false };

/** Notification toasts, bottom right; the notification center keeps them once they fade. */
const TOASTS = '.notifications-toasts';
const TOAST = `${TOASTS} .notification-toast-container`;

export class UiSession {
  private stepNumber = 0;
  private stepLabel = '';
  private recordings = 0;
  private failed = false;

  private constructor(
    readonly testName: string,
    readonly workbench: Workbench,
    private readonly cleanup: Cleanup,
  ) {}

  /**
   * Opens the workbench with the repo's built extension loaded as the extension under development, the way
   * F5 would: the page's `payload` names the repo root, so dist/extension.js is used as built, no packaging.
   * With `developmentExtension: false` it opens without it.
   */
  static async open(testName: string, options: UiSessionOptions = {}): Promise<UiSession> {
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
        payload: options.developmentExtension === false ? {} : { extensionDevelopmentPath: repoRoot },
        settings: { ...UI_SETTINGS, ...options.settings },
        displayLanguage: options.displayLanguage,
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
   * A second window on the same editor: another tab of the same browser profile, so it shares this one's
   * secret store and settings. It closes with this session; its screenshots are named `<test>-tab2-…`.
   */
  async openSecondTab(): Promise<UiSession> {
    const page = await this.page.context().newPage();
    await page.setViewportSize(this.page.viewportSize() ?? { width: 1280, height: 800 });
    await page.goto(this.page.url());
    const second = new UiSession(`${this.testName}-tab2`, { ...this.workbench, page }, this.cleanup);
    await second.waitForWorkbench();
    return second;
  }

  /** Reloads the window (the tab), as Developer: Reload Window does. */
  async reload(): Promise<void> {
    await this.page.reload();
    await this.waitForWorkbench();
  }

  /**
   * Runs one step and screenshots the result. After a failed step the later ones are skipped (they would
   * only fail for the same reason), so the first failure and its screenshot are what the report shows.
   */
  async step(name: string, action: (page: Page) => Promise<void>): Promise<void> {
    const label = `${String(++this.stepNumber).padStart(2, '0')}-${name}`;
    this.stepLabel = label;
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

  /** Saves another page (a browser tab the workbench opened) next to the current step's screenshot. */
  async screenshotOf(page: Page, suffix: string): Promise<void> {
    await screenshot(page, path.join(screenshotsDir, `${this.testName}-${this.stepLabel}-${suffix}.png`));
  }

  /**
   * Saves a picture for the README, `test-results/pictures/<name>.png`: the part of the window the given
   * parts cover together (their bounding box, plus a margin), so that it shows what matters at a size the
   * Marketplace page shows well. `npm run screenshots` copies them into media/screenshots/.
   */
  async picture(name: string, parts: readonly Locator[]): Promise<void> {
    const boxes = await Promise.all(parts.map((part) => part.boundingBox()));
    const shown = boxes.filter((box): box is NonNullable<typeof box> => box !== null && box.width > 0 && box.height > 0);
    if (shown.length === 0) throw new Error(`picture ${name}: none of its parts is on screen`);
    const viewport = this.page.viewportSize() ?? { width: 1400, height: 900 };
    const margin = 8;
    const left = Math.max(0, Math.min(...shown.map((box) => box.x)) - margin);
    const top = Math.max(0, Math.min(...shown.map((box) => box.y)) - margin);
    const right = Math.min(viewport.width, Math.max(...shown.map((box) => box.x + box.width)) + margin);
    const bottom = Math.min(viewport.height, Math.max(...shown.map((box) => box.y + box.height)) + margin);
    fs.mkdirSync(picturesDir, { recursive: true });
    await this.page.screenshot({
      path: path.join(picturesDir, `${name}.png`),
      clip: { x: left, y: top, width: right - left, height: bottom - top },
      animations: 'disabled',
      caret: 'hide',
      timeout: 10_000,
    });
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

  /**
   * What a webview shows (an image preview, a walkthrough step's Markdown page): VS Code puts its content in a
   * frame inside the webview's own frame.
   */
  webviewContent(): FrameLocator {
    return this.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  }

  /** The editor area's tabs. */
  editorTabs(): Locator {
    return this.page.locator('.part.editor .tabs-container .tab');
  }

  /** Closes a tab with its close button, as a person does, and waits until one tab fewer shows. */
  async closeEditorTab(tab: Locator): Promise<void> {
    const left = (await this.editorTabs().count()) - 1;
    await tab.hover();
    await tab.locator('.tab-actions .action-label').click();
    await this.page.waitForFunction((count) => document.querySelectorAll('.part.editor .tabs-container .tab').length === count, left);
  }

  /** Closes every editor tab. */
  async closeAllEditorTabs(): Promise<void> {
    while ((await this.editorTabs().count()) > 0) await this.closeEditorTab(this.editorTabs().first());
  }

  /** A view's pane in the side bar, found by its header title. */
  sideBarPane(viewName: string): Locator {
    return this.page.locator('.part.sidebar .pane').filter({
      has: this.page.locator('.pane-header h3.title', { hasText: viewName }),
    });
  }

  /**
   * Runs a palette command by its full label ("Bitbucket: Sign In"), clicking its row as a person would. The
   * palette lists the commands known when it opens: right after a (re)load an extension's commands may come a
   * moment later, so it is opened again until they are there.
   */
  async runCommand(label: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.openCommandPalette(label.replace(/…$/, ''));
      try {
        await this.quickInputItem(label).click({ timeout: Math.max(1_000, Math.min(5_000, deadline - Date.now())) });
        return;
      } catch (error) {
        if (Date.now() >= deadline) throw error;
        await this.closeQuickInput();
      }
    }
  }

  // The quick input (quick picks and input boxes the extension shows).

  get quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  /** Waits until the quick input's title contains `text` (titles end with "(step/total)" in guided flows). */
  async waitForQuickInput(title: string | RegExp): Promise<void> {
    await this.quickInput.locator('.quick-input-title', { hasText: title }).waitFor({ state: 'visible' });
  }

  async quickInputTitle(): Promise<string> {
    return (await this.quickInput.locator('.quick-input-title').textContent())?.trim() ?? '';
  }

  /** The line under the input: an input box's prompt, or its validation message. */
  quickInputMessage(): Locator {
    return this.quickInput.locator('.quick-input-message');
  }

  /** The input box itself; it carries the class `error` while a validation message shows. */
  quickInputField(): Locator {
    return this.quickInput.locator('.quick-input-box input');
  }

  async quickInputHasError(): Promise<boolean> {
    const classes = (await this.quickInput.locator('.quick-input-box .monaco-inputbox').getAttribute('class')) ?? '';
    return classes.split(/\s+/).includes('error');
  }

  /** The rows of the open quick pick (only those rendered: a long list shows what fits). */
  quickInputRows(): Locator {
    return this.quickInput.locator('.quick-input-list .monaco-list-row');
  }

  /** A quick-pick row whose label (icon aside) is exactly `label`. */
  quickInputItem(label: string): Locator {
    return this.quickInputRows().filter({
      has: this.page.locator('.quick-input-list-rows > .quick-input-list-row:first-child .label-name', {
        hasText: exactly(label),
      }),
    });
  }

  /** The Back arrow multi-step flows show from their second step on. */
  quickInputBackButton(): Locator {
    return this.quickInput.locator('.quick-input-left-action-bar .action-label[aria-label^="Back"]');
  }

  /** Waits until the quick input has stopped working (its progress bar is done). */
  async waitForQuickInputIdle(): Promise<void> {
    await this.quickInput.locator('.quick-input-progress.done').waitFor({ state: 'attached' });
  }

  // Notifications.

  /** The toast whose message contains `text`. */
  notification(text: string | RegExp): Locator {
    return this.page.locator(TOAST).filter({
      has: this.page.locator('.notification-list-item-message', { hasText: text }),
    });
  }

  notificationButton(toast: Locator, label: string): Locator {
    return toast.locator('.notification-list-item-buttons-container .monaco-button', { hasText: exactly(label) });
  }

  /**
   * Keeps every notification message shown from now on, however briefly (a fast clone's progress is gone
   * before a screenshot could catch it). Call the returned function to read them, oldest first.
   */
  recordNotifications(): Promise<() => Promise<string[]>> {
    return this.recordTexts(TOASTS, '.notification-list-item-message');
  }

  /** Keeps every text the quick input's message line shows from now on, in order (prompts, then errors). */
  recordQuickInputMessages(): Promise<() => Promise<string[]>> {
    return this.recordTexts('.quick-input-widget', '.quick-input-message');
  }

  /**
   * Waits until a notification with `text` has been shown since `seen` began recording. A toast that VS
   * Code already hid (it fades info toasts after a while, and keeps none while the notification center is
   * open) still counts when the center lists it, which is where a person finds it. Fails naming what was shown.
   */
  async waitForNotificationShown(seen: () => Promise<string[]>, text: string, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if ((await seen()).some((message) => message.includes(text))) return;
      await this.page.waitForTimeout(250);
    }
    await this.runCommand('Notifications: Show Notifications');
    const center = this.page.locator('.notifications-center .notification-list-item-message');
    const listed = await center.allTextContents();
    if (listed.some((message) => message.includes(text))) return;
    throw new Error(
      `no notification "${text}" within ${timeoutMs} ms; toasts shown: ${JSON.stringify(await seen())}; in the center: ${JSON.stringify(listed)}`,
    );
  }

  /** Records, in the page, each new text of the elements `item` matches inside `container`. */
  private async recordTexts(container: string, item: string): Promise<() => Promise<string[]>> {
    const key = `uiRecorded${++this.recordings}`;
    await this.page.evaluate(
      ({ container, item, key }) => {
        const seen: string[] = [];
        (window as unknown as Record<string, string[]>)[key] = seen;
        const root = document.querySelector(container) ?? document.body;
        const collect = () => {
          for (const element of Array.from(root.querySelectorAll(item))) {
            const text = element.textContent ?? '';
            if (text && !seen.includes(text)) seen.push(text);
          }
        };
        new MutationObserver(collect).observe(root, { subtree: true, childList: true, characterData: true });
        collect();
      },
      { container, item, key },
    );
    return () => this.page.evaluate((key) => (window as unknown as Record<string, string[]>)[key], key);
  }

  /** A modal dialog (an error the user must answer) whose message contains `text`. */
  dialog(text: string | RegExp): Locator {
    return this.page.locator('.monaco-dialog-box').filter({ has: this.page.locator('.dialog-message-container', { hasText: text }) });
  }

  dialogButton(dialog: Locator, label: string): Locator {
    return dialog.locator('.dialog-buttons .monaco-button', { hasText: exactly(label) });
  }

  // The Bitbucket view.

  /** Opens the Bitbucket view from the activity bar (a click on an open one would close the side bar). */
  async openBitbucketView(): Promise<void> {
    const title = this.page.locator('.part.sidebar .composite.title', { hasText: /bitbucket/i });
    if (await title.isVisible()) return;
    const icon = this.activityBarItem('Bitbucket');
    await icon.waitFor({ timeout: 30_000 });
    await icon.click();
    await title.waitFor();
  }

  /**
   * Shows the Bitbucket view through the palette. Unlike a click on the activity bar, this cannot close a
   * side bar that a reloaded window restored with the view already open.
   */
  async focusBitbucketView(): Promise<void> {
    await this.runCommand('Bitbucket: Focus on Repositories View');
    await this.page.locator('.part.sidebar .composite.title', { hasText: /bitbucket/i }).waitFor();
  }

  /** A button of the view's welcome content (shown while signed out). */
  welcomeButton(label: string): Locator {
    return this.page.locator('.part.sidebar .welcome-view-content').getByRole('button', { name: label });
  }

  /** The rows of the Repositories tree; `level` 1 = workspaces, 2 = their repositories. */
  treeRows(level?: number): Locator {
    const rows = this.page.locator('.part.sidebar .customview-tree .monaco-list-rows > .monaco-list-row');
    return level === undefined ? rows : rows.and(this.page.locator(`[aria-level="${level}"]`));
  }

  /**
   * Waits until the tree's rows at `level` read `expected` (their labels, in order), then asserts it, so a
   * failure shows the difference. The tree re-renders its rows after a change (an account added or signed out),
   * and a row that shows both before and after says nothing about which one the tree shows now.
   */
  async expectTreeLabels(level: number, expected: readonly string[], message?: string, timeoutMs = 20_000): Promise<void> {
    const labels = async () => (await this.treeRows(level).locator('.label-name').allTextContents()).map((label) => label.trim());
    const deadline = Date.now() + timeoutMs;
    let shown = await labels();
    while (!isDeepStrictEqual(shown, expected) && Date.now() < deadline) {
      await this.page.waitForTimeout(100);
      shown = await labels();
    }
    assert.deepEqual(shown, expected, message);
  }

  /**
   * The tree row labelled exactly `label`. A workspace scrolled out of sight still shows as the sticky row
   * at the top of the view, so that one counts too.
   */
  treeItem(label: string): Locator {
    return this.page
      .locator('.part.sidebar .customview-tree .monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: exactly(label) }) })
      .first();
  }

  /** The action a row shows on hover, e.g. "Clone Repository…", by its tooltip. */
  async rowAction(row: Locator, action: string): Promise<Locator> {
    await row.hover();
    const button = row.locator(`.actions .action-label[aria-label="${action}"]`);
    await button.waitFor({ state: 'visible' });
    return button;
  }

  /** An action in the side bar's title (a single view's title actions sit there). */
  viewTitleAction(label: string): Locator {
    return this.page.locator(`.part.sidebar .composite.title .action-label[aria-label="${label}"]`);
  }

  /** Drags the side bar's edge so repository names and descriptions fit in the screenshots. */
  async widenSideBar(width = 520): Promise<void> {
    const box = await this.page.locator('.part.sidebar').boundingBox();
    if (!box || box.width >= width) return;
    const edge = box.x + box.width;
    const y = box.y + box.height / 2;
    await this.page.mouse.move(edge + 1, y);
    await this.page.mouse.down();
    await this.page.mouse.move(edge + (width - box.width) / 2, y, { steps: 5 });
    await this.page.mouse.move(box.x + width, y, { steps: 5 });
    await this.page.mouse.up();
  }

  /** Moves the pointer onto the empty editor area, so no hover card covers what a screenshot should show. */
  async moveMouseAway(): Promise<void> {
    const box = await this.page.locator('.part.editor').boundingBox();
    if (box) await this.page.mouse.move(box.x + box.width * 0.8, box.y + box.height * 0.8);
  }

  /**
   * Answers the sign-in prompts once they are open: "API token", then the email, then the token. Leaves
   * the credential check running; the caller waits for what it expects (success or an error).
   */
  async answerSignInPrompts(email: string, token: string): Promise<void> {
    await this.waitForQuickInput(/^Sign in to Bitbucket \(1\/3\)$/);
    await this.quickInputItem('API token').click();
    await this.waitForQuickInput('Atlassian account email (2/3)');
    await this.filterQuickInput(email); // replaces an email kept from an earlier attempt
    await this.page.keyboard.press('Enter');
    await this.waitForQuickInput('API token (3/3)');
    await this.page.keyboard.type(token);
    await this.page.keyboard.press('Enter');
  }

  /** Signs in through "Bitbucket: Sign In" in the palette and waits for the workspaces to show. */
  async signInFromPalette(email: string, token: string): Promise<void> {
    await this.openBitbucketView();
    await this.runCommand('Bitbucket: Sign In');
    await this.answerSignInPrompts(email, token);
    await this.notification('Signed in to Bitbucket as').waitFor();
    await this.treeItem('Acme Corporation').waitFor();
  }
}

/** Matches text that is exactly `text`, give or take surrounding spaces (a codicon leaves one). */
export function exactly(text: string): RegExp {
  return new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
}

/** An error whose stack would say nothing useful. */
function quietError(message: string): Error {
  const error = new Error(message);
  error.stack = message;
  return error;
}

/** The extension's manifest (in English), so UI tests follow its contributions as they grow. */
export function manifest(): {
  contributes?: {
    viewsContainers?: { activitybar?: { id: string; title: string }[] };
    views?: Record<string, { id: string; name: string }[]>;
    viewsWelcome?: { view: string; contents: string; when?: string }[];
    commands?: { command: string; title: string; category?: string }[];
    menus?: { commandPalette?: { command: string; when?: string }[] };
  };
} {
  return localizedManifest();
}
