// Cloning from the tree: the Clone button a repository row shows on hover, git's progress in a notification,
// then "Open", which reopens the window on the clone. `bitbucket.cloneDirectory` is set, so no folder dialog.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { DEMO } from '../sandbox/seed';
import { UiSession } from './session';

const STEP_TIMEOUT_MS = 60_000;
const REPOSITORY = { name: 'hello-world', fullName: 'demo-user/hello-world' };

describe('Cloning a repository from the tree', { timeout: 5 * 60_000 }, () => {
  let ui: UiSession;
  // Under the run's temp folder (the launcher points TMPDIR there), removed with it at the latest.
  const cloneDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'bitbucket-ui-clones-'));
  const target = path.join(cloneDirectory, REPOSITORY.name);
  let notificationsSeen: () => Promise<string[]>;

  before(
    async () => {
      ui = await UiSession.open('clone', { settings: { 'bitbucket.cloneDirectory': cloneDirectory } });
    },
    { timeout: 4 * 60_000 },
  );

  after(async () => {
    await ui?.close();
    fs.rmSync(cloneDirectory, { recursive: true, force: true });
  });

  const repositoryRow = () => ui.treeItem(REPOSITORY.name);

  it('signs in and expands Demo User', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('demo-user-expanded', async () => {
      await ui.signInFromPalette(DEMO.email, DEMO.apiToken);
      await ui.widenSideBar();
      await ui.treeItem('Demo User').click();
      await repositoryRow().waitFor({ timeout: 20_000 });
      assert.match((await repositoryRow().getAttribute('aria-label')) ?? '', /^Public repository demo-user\/hello-world/);
      await ui.moveMouseAway();
    }),
  );

  it('shows Clone and Open in Browser on the row under the pointer', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('row-buttons', async () => {
      await ui.rowAction(repositoryRow(), 'Clone Repository…');
      await ui.rowAction(repositoryRow(), 'Open in Browser');
      assert.ok(await repositoryRow().locator('.codicon-repo-clone').isVisible(), 'the clone button shows the repo-clone icon');
    }),
  );

  it('cancels a clone from its notification and leaves no folder', { timeout: 2 * STEP_TIMEOUT_MS }, () =>
    ui.step('cancelled', async () => {
      // Each git request waits, so the clone is still running when Cancel is pressed.
      ui.workbench.sandbox.setGitDelay(3_000);
      try {
        const row = ui.treeItem('dotfiles');
        if (!(await row.isVisible())) await ui.treeItem('Demo User').click();
        await row.waitFor({ timeout: 20_000 });
        await (await ui.rowAction(row, 'Clone Repository…')).click();
        await acceptMainBranch('demo-user/dotfiles');
        await ui.moveMouseAway();
        const progress = ui.notification('Cloning demo-user/dotfiles');
        await progress.waitFor({ timeout: 30_000 });
        await ui.notificationButton(progress, 'Cancel').click();
        await progress.waitFor({ state: 'hidden', timeout: 30_000 });
        const folder = path.join(cloneDirectory, 'dotfiles');
        const deadline = Date.now() + 10_000;
        while (fs.existsSync(folder) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
        assert.ok(!fs.existsSync(folder), `${folder} was removed`);
        assert.equal(await ui.notification(/failed|error/i).count(), 0, 'a cancel is not reported as an error');
      } finally {
        ui.workbench.sandbox.setGitDelay(0);
      }
    }),
  );

  /** The branch step: the main branch first, marked, and where Enter goes. */
  const acceptMainBranch = async (fullName: string) => {
    await ui.waitForQuickInput(`Clone ${fullName}: branch`);
    const main = ui.quickInputItem('main');
    await main.waitFor({ timeout: 20_000 });
    assert.match((await main.textContent()) ?? '', /main branch/);
    await ui.page.keyboard.press('Enter');
  };

  it('asks which branch, the main branch first', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('branch', async () => {
      await (await ui.rowAction(repositoryRow(), 'Clone Repository…')).click();
      await ui.waitForQuickInput(`Clone ${REPOSITORY.fullName}: branch`);
      await ui.quickInputItem('main').waitFor({ timeout: 20_000 });
      assert.match((await ui.quickInputItem('main').textContent()) ?? '', /main branch/);
      await ui.moveMouseAway();
    }),
  );

  it('clones with progress in a notification', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('cloning', async () => {
      notificationsSeen = await ui.recordNotifications();
      await ui.page.keyboard.press('Enter');
      await ui.moveMouseAway(); // the row's hover card would cover the tree
      // A small clone can finish before a screenshot: whichever notification shows first is fine here.
      const shown = ui.notification(/Cloning demo-user\/hello-world|Cloned into/).first();
      await shown.locator('.notification-fade-in-done').waitFor({ timeout: 30_000 });
    }),
  );

  it('offers to open the clone', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('cloned', async () => {
      const cloned = ui.notification(`Cloned into ${target}. Open it?`);
      await cloned.waitFor({ timeout: 30_000 });
      await cloned.hover(); // a toast under the pointer stays until it is answered
      await ui.notification(`Cloning ${REPOSITORY.fullName}`).waitFor({ state: 'hidden' });
      for (const button of ['Open', 'Open in New Window', 'Add to Workspace']) {
        await ui.notificationButton(cloned, button).waitFor();
      }
      const seen = await notificationsSeen();
      assert.ok(
        seen.some((message) => message.startsWith(`Cloning ${REPOSITORY.fullName}`)),
        `the progress notification showed; saw ${JSON.stringify(seen)}`,
      );
      assert.ok(fs.existsSync(path.join(target, '.git')), `${target} is a git repository`);
      assert.ok(fs.existsSync(path.join(target, 'README.md')), `${target} has the README`);
      await ui.picture('clone', [ui.page.locator('.part.sidebar'), cloned]);
    }),
  );

  it('reopens the window on the clone after "Open"', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('reopened', async (page) => {
      const cloned = ui.notification(`Cloned into ${target}. Open it?`);
      await ui.notificationButton(cloned, 'Open').click();
      await page.waitForURL((url) => url.searchParams.get('folder') === target, { timeout: 30_000 });
      await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 60_000 });
      const explorer = page.locator('.part.sidebar .explorer-folders-view');
      if (!(await explorer.isVisible())) await ui.activityBarItem('Explorer').click();
      await explorer.locator('.monaco-list-row[aria-label="README.md"]').waitFor({ timeout: 30_000 });
      await page
        .locator('.part.sidebar .pane-header', { hasText: new RegExp(REPOSITORY.name, 'i') })
        .first()
        .waitFor();
      assert.match(await page.title(), new RegExp(REPOSITORY.name));
    }),
  );

  it('is still signed in after the window reloaded', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('still-signed-in', async () => {
      await ui.openBitbucketView();
      await ui.treeItem('Acme Corporation').waitFor({ timeout: 30_000 });
      assert.equal(await ui.welcomeButton('Sign in to Bitbucket').count(), 0);
      await ui.moveMouseAway();
    }),
  );

  // After a reload the workspaces show from the cache, then lose the "cached" mark once the list is fresh;
  // Acme, whose repositories were never loaded, has nothing cached at all.
  it('workspaces stop saying "cached" once the list is fresh', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('cached-labels', async () => {
      // The list is revalidated as soon as the view shows; the sandbox answers within a second.
      const acme = ui.treeItem('Acme Corporation').locator('.label-description');
      await acme
        .filter({ hasText: /^acme$/ })
        .waitFor({ timeout: 5_000 })
        .catch(() => undefined);
      await ui.moveMouseAway();
      assert.equal(await acme.textContent(), 'acme');
    }),
  );
});
