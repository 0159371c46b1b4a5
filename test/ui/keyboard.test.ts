// Signing in, finding a repository (by name with Find Repository…, and by walking the tree) and cloning it
// with the keyboard alone: no click, no hover, only keys (F1 and Ctrl+Shift+P, typing, Enter, arrows, Home,
// Tab, Shift+F10, Escape, Ctrl+Shift+E). Each step checks where the keyboard
// focus is, as a screen reader would announce it (the focused element's role and label, or the row a list
// or quick pick marks with aria-activedescendant), and what the step did.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Page } from 'playwright-core';

import { DEMO } from '../sandbox/seed';
import { UiSession } from './session';

const STEP_TIMEOUT_MS = 90_000;
const REPOSITORY = { name: 'hello-world', fullName: 'demo-user/hello-world' };
const SEARCH = '0042';
const FOUND = { name: 'service-0042 mobile', fullName: 'acme/service-0042-mobile' };

/** The keyboard focus as assistive technology reads it. */
interface Focus {
  /** The part of the workbench holding it: 'sidebar', 'quick input', 'context menu', 'notification', 'body'… */
  where: string;
  role: string;
  label: string;
  text: string;
  /** The row a list, tree or quick pick marks as active (aria-activedescendant), if any. */
  active?: { label: string; text: string; expanded: string | null };
}

function focusOf(page: Page): Promise<Focus> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (!element || element === document.body) return { where: 'body', role: '', label: '', text: '' };
    const part = element.closest('.part');
    const where = element.closest('.quick-input-widget')
      ? 'quick input'
      : element.closest('.context-view')
        ? 'context menu'
        : element.closest('.notifications-toasts')
          ? 'notification'
          : element.closest('.notifications-center')
            ? 'notification center'
            : (['sidebar', 'editor', 'panel', 'statusbar', 'activitybar', 'titlebar', 'auxiliarybar'].find((name) =>
                part?.classList.contains(name),
              ) ?? 'elsewhere');
    const id = element.getAttribute('aria-activedescendant');
    const row = id ? document.getElementById(id) : null;
    return {
      where,
      role: element.getAttribute('role') ?? element.tagName.toLowerCase(),
      label: element.getAttribute('aria-label') ?? '',
      text: (element.textContent ?? '').trim().slice(0, 200),
      active: row
        ? { label: row.getAttribute('aria-label') ?? '', text: (row.textContent ?? '').trim(), expanded: row.getAttribute('aria-expanded') }
        : undefined,
    };
  });
}

/** Waits until the focus is as `wanted` says; fails naming where it is instead. */
async function expectFocus(page: Page, what: string, wanted: (focus: Focus) => boolean, timeoutMs = 10_000): Promise<Focus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const focus = await focusOf(page);
    if (wanted(focus)) return focus;
    if (Date.now() > deadline) throw new Error(`the keyboard focus is not ${what}: ${JSON.stringify(focus)}`);
    await page.waitForTimeout(100);
  }
}

/**
 * Presses `key` until the focus is as wanted, at most `max` times; after each press it waits for the
 * focus to move (a tree still loading its rows may not move it at once).
 */
async function pressUntil(page: Page, key: string, what: string, wanted: (focus: Focus) => boolean, max = 20): Promise<Focus> {
  let focus = await focusOf(page);
  for (let presses = 0; !wanted(focus); presses++) {
    if (presses === max) throw new Error(`${max} × ${key} did not bring the focus to ${what}: ${JSON.stringify(focus)}`);
    const before = JSON.stringify(focus);
    await page.keyboard.press(key);
    const deadline = Date.now() + 5_000;
    do {
      await page.waitForTimeout(50);
      focus = await focusOf(page);
    } while (JSON.stringify(focus) === before && !wanted(focus) && Date.now() < deadline);
  }
  return focus;
}

const activeRow = (pattern: RegExp) => (focus: Focus) => pattern.test(focus.active?.label ?? '');

describe('Signing in, finding and cloning a repository with the keyboard alone', { timeout: 15 * 60_000 }, () => {
  let ui: UiSession;
  const cloneDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'bitbucket-ui-keyboard-'));
  const target = path.join(cloneDirectory, REPOSITORY.name);
  let notificationsSeen: () => Promise<string[]>;

  before(
    async () => {
      ui = await UiSession.open('keyboard', { settings: { 'bitbucket.cloneDirectory': cloneDirectory } });
    },
    { timeout: 4 * 60_000 },
  );

  after(async () => {
    await ui?.close();
    fs.rmSync(cloneDirectory, { recursive: true, force: true });
  });

  /**
   * Runs a command from the palette by keys only: `open` (F1 or Ctrl+Shift+P), its name typed, the arrow
   * keys until its row is the active one, Enter. The palette lists the commands known when it opens; an
   * extension's may come a moment later, so it is closed with Escape and opened again until they are there.
   */
  const runByKeyboard = async (label: string, open = 'F1', timeoutMs = 30_000) => {
    const page = ui.page;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await page.keyboard.press(open);
      await ui.quickInputField().waitFor({ state: 'visible' });
      await expectFocus(page, 'in the palette', (focus) => focus.where === 'quick input');
      await page.keyboard.type(label.replace(/…$/, ''));
      const row = ui.quickInputItem(label);
      const listed = await row
        .waitFor({ timeout: Math.max(1_000, Math.min(5_000, deadline - Date.now())) })
        .then(() => true)
        .catch(() => false);
      if (listed) {
        await pressUntil(page, 'ArrowDown', `the palette's row "${label}"`, (focus) => focus.active?.text.startsWith(label) ?? false);
        await page.keyboard.press('Enter');
        return;
      }
      if (Date.now() >= deadline) throw new Error(`the palette does not list "${label}"`);
      await page.keyboard.press('Escape');
      await ui.quickInput.waitFor({ state: 'hidden' });
    }
  };

  const inPick = (row: RegExp) => (focus: Focus) => focus.where === 'quick input' && activeRow(row)(focus);
  const inTree = (row: RegExp) => (focus: Focus) => focus.where === 'sidebar' && focus.role === 'tree' && activeRow(row)(focus);

  // The first step also waits for the extension to activate and the welcome content to show.
  it('F1 opens the palette, which focuses the Bitbucket view by its command', { timeout: 2 * STEP_TIMEOUT_MS }, () =>
    ui.step('view-focused', async (page) => {
      // The welcome content shows once the extension, activated by the view, says no one is signed in. When
      // it replaces the view's body after the focus went there, the focus falls back to the page; a
      // keyboard user then runs the command again, and so does this test.
      for (let attempt = 1; ; attempt++) {
        await runByKeyboard('Bitbucket: Focus on Repositories View');
        await ui.quickInput.waitFor({ state: 'hidden' });
        await page.locator('.part.sidebar .composite.title', { hasText: /bitbucket/i }).waitFor();
        await ui.welcomeButton('Sign in to Bitbucket').waitFor({ timeout: 30_000 });
        const focused = await expectFocus(page, 'in the side bar', (focus) => focus.where === 'sidebar', 3_000).catch((error: unknown) => {
          if (attempt === 3) throw error;
          return undefined;
        });
        if (focused) break;
      }
    }),
  );

  it('Tab reaches the welcome view\'s "Sign in to Bitbucket" button', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('welcome-button', async (page) => {
      const focus = await pressUntil(
        page,
        'Tab',
        'the sign-in button',
        (focus) => focus.where === 'sidebar' && /^Sign in to Bitbucket$/.test(focus.label || focus.text),
        10,
      );
      assert.match(focus.role, /^(button|a)$/);
    }),
  );

  it('Enter starts signing in; the arrow keys move between the kinds of credential', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('credential-kind', async (page) => {
      await page.keyboard.press('Enter');
      await ui.waitForQuickInput(/^Sign in to Bitbucket \(1\/3\)$/);
      // The key icon comes from the item's iconPath, so a screen reader hears the words alone (no "key").
      await expectFocus(page, 'on "API token", the recommended kind', inPick(/^API token, recommended\b/));
      await page.keyboard.press('ArrowDown');
      await expectFocus(page, 'on "Access token"', inPick(/\bAccess token, A repository\b/));
      await page.keyboard.press('ArrowUp');
      await expectFocus(page, 'back on "API token"', inPick(/\bAPI token, recommended\b/));
    }),
  );

  it('Enter takes the email, typed', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('email', async (page) => {
      await page.keyboard.press('Enter');
      await ui.waitForQuickInput('Sign in to Bitbucket: Atlassian account email (2/3)');
      await expectFocus(page, 'in the email box', (focus) => focus.where === 'quick input');
      await page.keyboard.type(DEMO.email);
      assert.equal(await ui.quickInputField().inputValue(), DEMO.email);
    }),
  );

  it('then the token, in a password box', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('token', async (page) => {
      await page.keyboard.press('Enter');
      await ui.waitForQuickInput('Sign in to Bitbucket: API token (3/3)');
      await expectFocus(page, 'in the token box', (focus) => focus.where === 'quick input');
      assert.equal(await ui.quickInputField().getAttribute('type'), 'password');
      await page.keyboard.type(DEMO.apiToken);
    }),
  );

  it('Enter signs in: a notification names the account and the tree lists its workspaces', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('signed-in', async (page) => {
      await page.keyboard.press('Enter');
      await ui.notification(`Signed in to Bitbucket as ${DEMO.displayName} (${DEMO.email}).`).waitFor({ timeout: 30_000 });
      await ui.treeItem('Acme Corporation').waitFor({ timeout: 30_000 });
      await ui.notification('Checking your Bitbucket credentials').waitFor({ state: 'hidden' });
      await ui.quickInput.waitFor({ state: 'hidden' });
      assert.equal(await ui.welcomeButton('Sign in to Bitbucket').count(), 0, 'the welcome content is gone');
      // The welcome content that held the focus is gone; sign-in gives the focus to the tree that replaced it.
      await expectFocus(page, 'on the tree', (focus) => focus.where === 'sidebar' && focus.role === 'tree');
    }),
  );

  // Among acme's 5,000 repositories the way to one is by name: Find Repository…, all in quick picks.

  it('Find Repository… from the palette asks for a workspace; the arrow keys move between them', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('find-workspace', async (page) => {
      await runByKeyboard('Bitbucket: Find Repository…');
      await ui.waitForQuickInput('Choose a workspace');
      await expectFocus(page, 'on Acme Corporation', inPick(/^Acme Corporation, acme$/));
      await page.keyboard.press('ArrowDown');
      await expectFocus(page, 'on Demo User', inPick(/^Demo User, demo-user$/));
      await page.keyboard.press('ArrowUp');
      await expectFocus(page, 'back on Acme Corporation', inPick(/^Acme Corporation, acme$/));
    }),
  );

  it(`Enter takes Acme; typing "${SEARCH}" finds ${FOUND.fullName}`, { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('find-results', async (page) => {
      await page.keyboard.press('Enter');
      await ui.waitForQuickInput('Find a repository in Acme Corporation');
      await page.keyboard.type(SEARCH);
      await ui.quickInputItem(FOUND.name).waitFor({ timeout: 20_000 });
      await ui.waitForQuickInputIdle();
      await expectFocus(page, `on ${FOUND.name}`, inPick(new RegExp(`\\b${FOUND.name}, `)));
    }),
  );

  it('Enter offers what to do with it; Escape closes the offer', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('find-actions', async (page) => {
      await page.keyboard.press('Enter');
      await ui.waitForQuickInput(FOUND.fullName);
      await expectFocus(page, 'on Clone', inPick(/\bClone$/));
      await pressUntil(page, 'ArrowDown', 'Copy Clone URL', inPick(/\bCopy Clone URL$/), 3);
      await ui.closeQuickInput();
      // Escape gives the focus back to where it was before the palette opened: the tree.
      await expectFocus(page, 'back on the tree', (focus) => focus.where === 'sidebar' && focus.role === 'tree');
    }),
  );

  it('Ctrl+Shift+P focuses the tree; Home goes to its first workspace', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('tree-focused', async (page) => {
      await runByKeyboard('Bitbucket: Focus on Repositories View', 'Control+Shift+P');
      await ui.quickInput.waitFor({ state: 'hidden' });
      await expectFocus(page, 'on the tree', (focus) => focus.where === 'sidebar' && focus.role === 'tree');
      await page.keyboard.press('Home');
      await expectFocus(page, 'on the Acme Corporation row', inTree(/^Workspace Acme Corporation, acme$/));
      // What a screen reader reads for each workspace row: its kind, name and slug.
      assert.deepEqual(await ui.treeRows(1).evaluateAll((rows) => rows.map((row) => row.getAttribute('aria-label'))), [
        'Workspace Acme Corporation, acme',
        'Workspace Demo User, demo-user',
        'Workspace Empty Space, empty-space',
        'Workspace Thé House · Ünicode Ltd., tea.house',
      ]);
    }),
  );

  it('Down reaches the Demo User workspace, Right expands it', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('workspace-expanded', async (page) => {
      await pressUntil(page, 'ArrowDown', 'the Demo User row', inTree(/^Workspace (Demo User|demo-user)\b/), 5);
      await page.keyboard.press('ArrowRight');
      const focus = await expectFocus(
        page,
        'on the expanded Demo User row',
        (focus) => inTree(/^Workspace Demo User\b/)(focus) && focus.active?.expanded === 'true',
        20_000,
      );
      assert.equal(focus.active?.expanded, 'true');
      await ui.treeItem(REPOSITORY.name).waitFor({ timeout: 20_000 });
    }),
  );

  it(`Down finds ${REPOSITORY.fullName} among its repositories`, { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('repository-found', async (page) => {
      const focus = await pressUntil(
        page,
        'ArrowDown',
        `the ${REPOSITORY.fullName} row`,
        inTree(new RegExp(`^(Public|Private) repository ${REPOSITORY.fullName}\\b`)),
        30,
      );
      assert.match(focus.active?.label ?? '', /^Public repository demo-user\/hello-world, /);
      assert.match(focus.active?.text ?? '', new RegExp(REPOSITORY.name));
    }),
  );

  it('Shift+F10 opens the row\'s context menu; Down reaches "Clone Repository…"', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('context-menu', async (page) => {
      await page.keyboard.press('Shift+F10');
      await page.locator('.context-view .monaco-menu').waitFor({ state: 'visible', timeout: 10_000 });
      await expectFocus(page, 'in the context menu', (focus) => focus.where === 'context menu');
      const items = (await page.locator('.context-view .monaco-menu .action-label').allTextContents()).map((text) => text.trim());
      for (const item of ['Open Without Cloning…', 'Clone Repository…', 'Copy Clone URL', 'Open in Browser']) {
        assert.ok(items.includes(item), `the menu offers ${item}: ${JSON.stringify(items)}`);
      }
      await pressUntil(
        page,
        'ArrowDown',
        'the menu item "Clone Repository…"',
        (focus) => focus.where === 'context menu' && focus.role === 'menuitem' && /^Clone Repository…$/.test(focus.label || focus.text),
        items.length + 1,
      );
    }),
  );

  it('Enter asks which branch, the main branch first and active', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('branch', async (page) => {
      await page.keyboard.press('Enter');
      await ui.waitForQuickInput(`Clone ${REPOSITORY.fullName}: branch`);
      await ui.quickInputItem('main').waitFor({ timeout: 20_000 });
      await expectFocus(page, 'on the main branch', (focus) => focus.where === 'quick input' && activeRow(/\bmain, main branch\b/)(focus));
    }),
  );

  it('Enter clones into bitbucket.cloneDirectory and offers to open it', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('cloned', async (page) => {
      notificationsSeen = await ui.recordNotifications();
      await page.keyboard.press('Enter');
      await ui.quickInput.waitFor({ state: 'hidden', timeout: 10_000 }).catch(async () => {
        throw new Error(`Enter left the quick input "${await ui.quickInputTitle()}" open: ${JSON.stringify(await focusOf(page))}`);
      });
      // Not ui.waitForNotificationShown: its fallback clicks its way to the notification center.
      const cloned = `Cloned into ${target}. Open it?`;
      const deadline = Date.now() + 60_000;
      while (!(await notificationsSeen()).includes(cloned)) {
        if (Date.now() > deadline) throw new Error(`no "${cloned}"; shown: ${JSON.stringify(await notificationsSeen())}`);
        await page.waitForTimeout(250);
      }
      // The quick input gives the focus back where it was: the repository's row.
      await expectFocus(page, 'back on the repository row', inTree(new RegExp(`repository ${REPOSITORY.fullName}\\b`)));
      assert.ok(fs.existsSync(path.join(target, 'README.md')), `${target} has the README`);
      const config = fs.readFileSync(path.join(target, '.git', 'config'), 'utf8');
      assert.ok(!config.includes(DEMO.apiToken), 'no token in .git/config');
      assert.doesNotMatch(config, /:\/\/[^/\s@]*:[^/\s@]*@/, 'no password in a remote URL');
      assert.match(config, new RegExp(`url = \\S*${REPOSITORY.fullName}`), 'the remote is the repository');
    }),
  );

  it('the palette focuses the notification; Tab reaches its "Open" button', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('notification-focused', async (page) => {
      await runByKeyboard('Notifications: Focus Notification Toast');
      await expectFocus(
        page,
        'on the notification',
        (focus) => /notification/.test(focus.where) && /Cloned into/.test(`${focus.label} ${focus.active?.label ?? ''}`),
      );
      await pressUntil(
        page,
        'Tab',
        'the "Open" button',
        (focus) => /notification/.test(focus.where) && /^Open$/.test(focus.label || focus.text),
        6,
      );
    }),
  );

  it('Enter opens the clone in this window', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('reopened', async (page) => {
      await page.keyboard.press('Enter');
      await page.waitForURL((url) => url.searchParams.get('folder') === target, { timeout: 30_000 });
      await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 60_000 });
      assert.match(await page.title(), new RegExp(REPOSITORY.name));
      // Ctrl+Shift+E: the Explorer, with the clone's files.
      await page.keyboard.press('Control+Shift+E');
      await expectFocus(page, 'in the Explorer', (focus) => focus.where === 'sidebar', 30_000);
      await page.locator('.part.sidebar .explorer-folders-view .monaco-list-row[aria-label="README.md"]').waitFor({ timeout: 30_000 });
    }),
  );
});
