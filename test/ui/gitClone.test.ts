// VS Code's own "Git: Clone" knows Bitbucket: it offers "Clone from Bitbucket", whose list searches the
// signed-in user's workspaces on the server as they type. After a repository it asks which of its URLs and
// where, never which branch: code-server 4.100.3's git.clone calls git-base's pickRemoteSource without
// `branch: true`, and clones the default branch. The provider's branches (`getBranches`) show where git-base
// is asked for a branch: its `git-base.api.getRemoteSources` command with `{ branch: true }`, here bound to a
// key in the user's keybindings.json.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Locator, Page } from 'playwright-core';

import { DEMO } from '../sandbox/seed';
import { SPECIAL_FILES } from '../sandbox/special-repository';
import { UiSession } from './session';

const STEP_TIMEOUT_MS = 60_000;
const SPECIAL = `${SPECIAL_FILES.workspace}/${SPECIAL_FILES.slug}`;
/** A key no default binding uses, for git-base's remote source pick with a branch step. */
const BRANCH_PICK_KEY = 'ctrl+alt+shift+b';

/** Whether `locator` shows within `timeoutMs`. */
const isShown = (locator: Locator, timeoutMs: number) =>
  locator.waitFor({ timeout: timeoutMs }).then(
    () => true,
    () => false,
  );

describe('"Git: Clone" lists Bitbucket repositories', { timeout: 8 * 60_000 }, () => {
  let ui: UiSession;
  // Where git.clone's folder dialog starts; under the run's temp folder, removed with it at the latest.
  const cloneDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'bitbucket-ui-git-clones-'));

  before(
    async () => {
      ui = await UiSession.open('git-clone', { settings: { 'git.defaultCloneDirectory': cloneDirectory } });
    },
    { timeout: 4 * 60_000 },
  );

  after(async () => {
    await ui?.close();
    fs.rmSync(cloneDirectory, { recursive: true, force: true });
  });

  const httpsUrl = () => `${ui.workbench.sandbox.url}/${SPECIAL}.git`;
  const sshUrl = () => `git@${new URL(ui.workbench.sandbox.url).hostname}:${SPECIAL}.git`;
  const rowLabels = async () => (await ui.quickInputRows().locator('.label-name').allTextContents()).map((text) => text.trim());
  const placeholder = (text: string) => ui.quickInput.locator(`.quick-input-box input[placeholder="${text}"]`);

  /**
   * Waits until "Git: Clone" lists Bitbucket: git-base then runs and the extension has registered its provider
   * with it, so the key bound to git-base's pick answers at once. Just after a reload either may still be
   * starting; a command run then waits for the extension host and shows its pick later.
   */
  const waitForProvider = async () => {
    const deadline = Date.now() + 90_000; // a reloaded window's extension host may be slow to start
    for (;;) {
      await ui.runCommand('Git: Clone', 60_000);
      // The command has run once its pick shows; only then is it safe to run it again.
      await ui.quickInput.waitFor({ timeout: 60_000 });
      const listed = await isShown(ui.quickInputRow('Clone from Bitbucket'), 5_000);
      await ui.closeQuickInput();
      if (listed) return;
      if (Date.now() > deadline) throw new Error('"Git: Clone" never listed Bitbucket');
    }
  };

  /**
   * Presses the key bound to git-base's pick with a branch step, once the provider is registered. It is pressed
   * again only when no pick showed at all: a second press while the first one's command still waits would show
   * a second pick, which replaces the first one midway through the test's answers.
   */
  const openBranchPick = async (page: Page) => {
    await waitForProvider();
    for (let attempt = 1; ; attempt++) {
      await page.locator('.monaco-workbench').click({ position: { x: 700, y: 300 } });
      await page.keyboard.press('Control+Alt+Shift+B');
      if (await isShown(ui.quickInput, 30_000)) break;
      if (attempt === 3) throw new Error(`${BRANCH_PICK_KEY} never opened git-base's pick`);
    }
    await ui.quickInput.locator('input[placeholder^="Repository name"]').waitFor({ timeout: 20_000 });
  };

  /** In the Bitbucket provider's pick (open): searches for special-files and picks it. */
  const pickSpecialFiles = async () => {
    // Wait for the provider's own picker before typing, or the text goes to the list being replaced.
    await ui.quickInput.locator('input[placeholder^="Repository name"]').waitFor({ timeout: 20_000 });
    await ui.quickInputRows().first().waitFor({ timeout: 20_000 });
    await ui.page.keyboard.type(SPECIAL_FILES.slug);
    const row = ui.quickInputItem(SPECIAL);
    await row.waitFor({ timeout: 20_000 });
    await row.click();
  };

  /**
   * Opens the provider's pick with `open`, picks special-files, and waits for git-base's URL step. git-base
   * searches as you type and replaces the list when the answer comes: on a loaded machine a click can land on a
   * row of the list being replaced, and git-base then closes the pick with nothing chosen. That is git-base's
   * race, not ours (the search gave the row), so the pick is opened again, at most three times.
   */
  const reachUrlStep = async (open: () => Promise<void>) => {
    for (let attempt = 1; ; attempt++) {
      await open();
      await pickSpecialFiles();
      if (await isShown(placeholder('Choose a URL to clone from.'), 20_000)) return;
      if (attempt === 3) throw new Error('git-base never showed the URL step after special-files was picked');
      if (await ui.quickInput.isVisible()) await ui.closeQuickInput();
    }
  };

  it('offers Bitbucket among the places to clone from', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('sources', async () => {
      await ui.signInFromPalette(DEMO.email, DEMO.apiToken);
      await ui.runCommand('Git: Clone');
      await ui.quickInputRow('Clone from Bitbucket').waitFor({ timeout: 20_000 });
    }),
  );

  it('searches Bitbucket by name and shows the matches with their workspace', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('search', async (page) => {
      await ui.quickInputRow('Clone from Bitbucket').click();
      // Wait for the provider's own picker before typing, or the text goes to the list being replaced.
      await ui.quickInput.locator('input[placeholder^="Repository name"]').waitFor({ timeout: 20_000 });
      await ui.quickInputRows().first().waitFor({ timeout: 20_000 });
      await page.keyboard.type('0042');
      const match = ui.quickInputRow('acme/service-0042-mobile');
      await match.waitFor({ timeout: 20_000 });
      const rows = await ui.quickInputRows().allTextContents();
      assert.ok(
        rows.every((row) => !/acme\/service-0041/.test(row)),
        `only matches are listed: ${rows.join(' | ')}`,
      );
      await ui.moveMouseAway();
    }),
  );

  it('closes without cloning', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('closed', async () => {
      await ui.closeQuickInput();
    }),
  );

  it('after a repository is picked, asks which of its URLs to clone', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('urls', async () => {
      await reachUrlStep(async () => {
        await ui.runCommand('Git: Clone');
        await ui.quickInputRow('Clone from Bitbucket').click();
      });
      await ui.quickInputItem(httpsUrl()).waitFor();
      await ui.quickInputItem(sshUrl()).waitFor();
      await ui.moveMouseAway();
    }),
  );

  it('then where to clone it: no question about a branch', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('folder', async () => {
      await ui.quickInputItem(httpsUrl()).click();
      // The next question is the folder; a branch pick would have had to be answered first.
      await ui.waitForQuickInput(`Choose a folder to clone ${httpsUrl()} into`);
      assert.equal(await placeholder('Branch name').count(), 0, 'no branch is asked for');
      await ui.moveMouseAway();
    }),
  );

  it('clones the default branch, main', { timeout: 2 * STEP_TIMEOUT_MS }, () =>
    ui.step('cloned-main', async (page) => {
      // The dialog starts in git.defaultCloneDirectory: Enter takes that folder.
      assert.equal(path.resolve(await ui.quickInputField().inputValue()), cloneDirectory);
      await page.keyboard.press('Enter');
      await ui.dialog(/Would you like to open the cloned repository/).waitFor({ timeout: 60_000 });
      const clone = path.join(cloneDirectory, SPECIAL_FILES.slug);
      const branch = execFileSync('git', ['-C', clone, 'rev-parse', '--abbrev-ref', 'HEAD'], { encoding: 'utf8' }).trim();
      assert.equal(branch, SPECIAL_FILES.mainBranch, 'the repository’s main branch is checked out');
      await ui.moveMouseAway();
    }),
  );

  it('where git-base asks for a branch, the provider lists the branches, main first', { timeout: 3 * STEP_TIMEOUT_MS }, () =>
    ui.step('branches', async (page) => {
      await ui.dialogButton(ui.dialog(/Would you like to open the cloned repository/), 'Cancel').click();
      const keybindings = path.join(ui.workbench.dirs.userData, 'User', 'keybindings.json');
      const binding = { key: BRANCH_PICK_KEY, command: 'git-base.api.getRemoteSources', args: { providerName: 'Bitbucket', branch: true } };
      fs.writeFileSync(keybindings, JSON.stringify([binding], null, 2));
      await ui.reload(); // the window reads keybindings.json as it opens
      await reachUrlStep(() => openBranchPick(page));
      await ui.quickInputItem(httpsUrl()).click();
      await placeholder('Branch name').waitFor({ timeout: 20_000 });
      for (const branch of SPECIAL_FILES.branches) await ui.quickInputItem(branch).waitFor({ timeout: 20_000 });
      const labels = await rowLabels();
      assert.equal(labels[0], SPECIAL_FILES.mainBranch, `main first: ${labels.join(' | ')}`);
      assert.deepEqual([...labels].sort(), [...SPECIAL_FILES.branches].sort(), `the branches, and no tag: ${labels.join(' | ')}`);
      await ui.moveMouseAway();
    }),
  );

  it('the branch pick also lists them for the ssh URL', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('branches-ssh', async (page) => {
      await ui.closeQuickInput();
      await reachUrlStep(() => openBranchPick(page));
      await ui.quickInputItem(sshUrl()).click();
      await placeholder('Branch name').waitFor({ timeout: 20_000 });
      const listed = await isShown(ui.quickInputItem(SPECIAL_FILES.mainBranch), 10_000);
      assert.ok(listed, `the branches of ${sshUrl()} are listed; the pick shows: ${JSON.stringify(await rowLabels())}`);
      await ui.moveMouseAway();
    }),
  );
});
