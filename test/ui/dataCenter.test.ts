// Bitbucket Data Center beside Bitbucket Cloud, as a person sets it up: signed in to Cloud, "Add Account…"
// with a Data Center server and a personal HTTP access token typed into the quick inputs. The view then has
// one row per account; the server's row lists its projects, a project its first page of repositories and a
// Load more row; a repository's Clone button clones it with the token given to git by the askpass only.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { DATACENTER } from '../sandbox/datacenter/seed';
import { DEMO } from '../sandbox/seed';
import { UiSession } from './session';

const STEP_TIMEOUT_MS = 90_000;
/** A page of ten keeps PLAT's first page and its Load more row on one screen beside the projects. */
const PAGE_SIZE = 10;
const CLOUD_ACCOUNT = `${DEMO.displayName} (${DEMO.email})`;
const PERSONAL_TOKEN = DATACENTER.tokens.personal;
/** PLAT's first repository by name: the sandbox lists by lower-cased name, so "Service 0050 …" comes first. */
const REPOSITORY = { name: 'Service 0050 STORAGE Edge', slug: 'service-0050-storage-edge' };
const FULL_NAME = `${DATACENTER.bigProject.key}/${REPOSITORY.slug}`;

describe('Bitbucket Data Center beside Cloud', { timeout: 12 * 60_000 }, () => {
  let ui: UiSession;
  let serverUrl: string;
  /** What the account row and the notifications call the server's account. */
  let dataCenterAccount: string;
  // Under the run's temp folder (the launcher points TMPDIR there), removed with it at the latest.
  const cloneDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'bitbucket-ui-dc-clones-'));
  const target = path.join(cloneDirectory, REPOSITORY.slug);
  let notificationsSeen: () => Promise<string[]>;

  before(
    async () => {
      ui = await UiSession.open('dcenter', {
        settings: { 'bitbucket.cloneDirectory': cloneDirectory, 'bitbucket.pageSize': PAGE_SIZE },
      });
      serverUrl = ui.workbench.dataCenter.url;
      const server = new URL(serverUrl);
      dataCenterAccount = `${DATACENTER.user.displayName} (${server.host}${server.pathname.replace(/\/+$/, '')})`;
    },
    { timeout: 4 * 60_000 },
  );

  after(async () => {
    await ui?.close();
    fs.rmSync(cloneDirectory, { recursive: true, force: true });
  });

  /** The label texts of the tree rows at `level`, in order. */
  const labelsAt = async (level: number) =>
    (await ui.treeRows(level).locator('.label-name').allTextContents()).map((label) => label.trim());

  it('signs in to Bitbucket Cloud', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('cloud-signed-in', async () => {
      await ui.signInFromPalette(DEMO.email, DEMO.apiToken);
      await ui.widenSideBar();
      assert.deepEqual(await labelsAt(1), ['Acme Corporation', 'Demo User', 'Empty Space', 'Thé House · Ünicode Ltd.']);
      await ui.moveMouseAway();
    }),
  );

  it('adds an account, chooses Bitbucket Data Center and types the server', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('dc-server-typed', async (page) => {
      await ui.runCommand('Bitbucket: Add Account…');
      await ui.waitForQuickInput(/^Sign in to Bitbucket \(1\/3\)$/);
      await ui.quickInputItem('Bitbucket Data Center').click();
      await ui.waitForQuickInput('Sign in to Bitbucket Data Center: server (2/3)');
      await page.keyboard.type(serverUrl);
      assert.equal(await ui.quickInputField().inputValue(), serverUrl);
      assert.equal(await ui.quickInputHasError(), false, 'the server address is accepted as typed');
      await ui.quickInputMessage().filter({ hasText: 'The address you open Bitbucket at in the browser' }).waitFor();
    }),
  );

  it('types the personal token into a password box', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('dc-token-typed', async (page) => {
      await page.keyboard.press('Enter');
      await ui.waitForQuickInput('Sign in to Bitbucket Data Center: HTTP access token (3/3)');
      await page.keyboard.type(PERSONAL_TOKEN.token);
      assert.equal(await ui.quickInputField().getAttribute('type'), 'password', 'the token shows as dots');
      assert.equal(await ui.quickInputField().inputValue(), PERSONAL_TOKEN.token);
      assert.equal(await ui.quickInputHasError(), false);
    }),
  );

  it('checks the server and token and adds the account', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('dc-account-added', async (page) => {
      notificationsSeen = await ui.recordNotifications();
      await page.keyboard.press('Enter');
      await ui.quickInput.waitFor({ state: 'hidden' });
      await ui.notification(`Added the Bitbucket account ${dataCenterAccount}.`).waitFor({ timeout: 60_000 });
      await ui.notification('Checking the Bitbucket Data Center server and token').waitFor({ state: 'hidden', timeout: 30_000 });
      assert.ok(
        (await notificationsSeen()).some((message) => message.startsWith('Checking the Bitbucket Data Center server and token')),
        'the check showed its progress',
      );
      assert.equal(await ui.notification(/error|failed|not a Bitbucket/i).count(), 0, 'no error was shown');
    }),
  );

  it('shows the Cloud account and the Data Center server side by side', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('accounts-side-by-side', async () => {
      await ui.treeItem(dataCenterAccount).waitFor({ timeout: 30_000 });
      assert.deepEqual((await labelsAt(1)).sort(), [CLOUD_ACCOUNT, dataCenterAccount].sort());
      // Each account row names what it reaches once listed: Cloud workspaces, Data Center project keys.
      await ui.treeItem(CLOUD_ACCOUNT).locator('.label-description', { hasText: /acme/ }).waitFor({ timeout: 30_000 });
      await ui
        .treeItem(dataCenterAccount)
        .locator('.label-description', { hasText: /PLAT|~DC-USER|APPS/ })
        .waitFor({ timeout: 30_000 });
      await ui.treeItem('Acme Corporation').waitFor();
      await ui.moveMouseAway();
    }),
  );

  it("lists the server's projects, the personal one too", { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('dc-projects', async () => {
      // Folding the Cloud account leaves the Data Center server's rows alone at the second level.
      const cloud = ui.treeItem(CLOUD_ACCOUNT);
      await cloud.click();
      await ui.treeItem('Acme Corporation').waitFor({ state: 'hidden' });
      assert.equal(await cloud.getAttribute('aria-expanded'), 'false');
      const server = ui.treeItem(dataCenterAccount);
      assert.equal(await server.getAttribute('aria-expanded'), 'true', 'the server row is expanded');
      const platform = ui.treeItem('Platform');
      await platform.waitFor({ timeout: 30_000 });
      assert.equal((await platform.locator('.label-description').textContent())?.trim(), DATACENTER.bigProject.key);
      const personal = ui.treeItem(DATACENTER.user.displayName);
      assert.equal((await personal.locator('.label-description').textContent())?.trim(), DATACENTER.personalProjectKey);
      const projects = await labelsAt(2);
      for (const name of ['Platform', 'Applications', 'Developer Tools', 'Open Source', DATACENTER.user.displayName]) {
        assert.ok(projects.includes(name), `${name} is listed: ${projects.join(', ')}`);
      }
      assert.ok(!projects.includes('Secret Project'), 'a project dc-user may not see is not listed');
      assert.equal(await platform.locator('.codicon-project').count(), 1, 'drawn as a project');
      await ui.moveMouseAway();
    }),
  );

  it('expands PLAT to its first page of repositories and a Load more row', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('plat-first-page', async () => {
      await ui.treeItem('Platform').click();
      const loadMore = ui.treeItem('Load more…');
      await loadMore.waitFor({ timeout: 60_000 });
      await ui.treeItem(REPOSITORY.name).waitFor();
      const rows = await labelsAt(3);
      assert.equal(rows.length, PAGE_SIZE + 1, `one page and Load more: ${rows.join(', ')}`);
      assert.equal(rows[0], REPOSITORY.name);
      assert.equal(rows[rows.length - 1], 'Load more…');
      assert.match((await loadMore.locator('.label-description').textContent()) ?? '', new RegExp(`^${PAGE_SIZE} (shown|of 5,000)$`));
      assert.match(
        (await ui.treeItem(REPOSITORY.name).getAttribute('aria-label')) ?? '',
        new RegExp(`^(Public|Private) repository ${FULL_NAME}`),
      );
      // The project is the row above: a repository's row does not name it again.
      assert.equal(await ui.treeItem(REPOSITORY.name).locator('.label-description', { hasText: 'Platform' }).count(), 0);
      await ui.moveMouseAway();
    }),
  );

  it("clones from the row's Clone button, asking for the branch", { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('clone-branch', async () => {
      const row = ui.treeItem(REPOSITORY.name);
      const clone = await ui.rowAction(row, 'Clone Repository…');
      assert.ok(await row.locator('.codicon-repo-clone').isVisible(), 'the clone button shows the repo-clone icon');
      await clone.click();
      await ui.waitForQuickInput(`Clone ${FULL_NAME}: branch`);
      const first = ui.quickInputRows().first();
      await first.locator('.label-name', { hasText: /^\s*(main|master)\s*$/ }).waitFor({ timeout: 30_000 });
      assert.match((await first.textContent()) ?? '', /main branch/, 'the main branch comes first, marked');
      await ui.moveMouseAway();
    }),
  );

  it('shows the clone in a progress notification', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('cloning', async (page) => {
      // Each git request waits a while, so the progress is still on screen for the step's screenshot.
      ui.workbench.dataCenter.setGitDelay(1_500);
      notificationsSeen = await ui.recordNotifications();
      await page.keyboard.press('Enter');
      await ui.moveMouseAway();
      const progress = ui.notification(`Cloning ${FULL_NAME}`);
      await progress.waitFor({ timeout: 30_000 });
      await ui.notificationButton(progress, 'Cancel').waitFor();
    }),
  );

  it('follows the clone to the end, then offers to open it', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('cloned', async () => {
      ui.workbench.dataCenter.setGitDelay(0);
      const cloned = ui.notification(`Cloned into ${target}. Open it?`);
      await cloned.waitFor({ timeout: 60_000 });
      await cloned.hover(); // a toast under the pointer stays until it is answered
      await ui.notification(`Cloning ${FULL_NAME}`).waitFor({ state: 'hidden' });
      for (const button of ['Open', 'Open in New Window', 'Add to Workspace']) {
        await ui.notificationButton(cloned, button).waitFor();
      }
      const seen = await notificationsSeen();
      assert.ok(
        seen.some((message) => message.startsWith(`Cloning ${FULL_NAME}`)),
        `the progress notification showed; saw ${JSON.stringify(seen)}`,
      );
      assert.equal(await ui.notification(/failed|error/i).count(), 0, 'no error was shown');
    }),
  );

  it('leaves a clone with the server as its remote and no token in .git/config', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('clone-on-disk', async () => {
      const git = (...args: string[]) => execFileSync('git', ['-C', target, ...args], { encoding: 'utf8' }).trim();
      assert.ok(fs.existsSync(path.join(target, 'README.md')), `${target} has its README checked out`);
      assert.equal(git('rev-parse', '--is-inside-work-tree'), 'true');
      assert.equal(
        git('remote', 'get-url', 'origin'),
        `${serverUrl}/scm/${DATACENTER.bigProject.key.toLowerCase()}/${REPOSITORY.slug}.git`,
      );
      const config = fs.readFileSync(path.join(target, '.git', 'config'), 'utf8');
      assert.ok(!config.includes(PERSONAL_TOKEN.token), 'the token is not in .git/config');
      assert.doesNotMatch(config, /extraheader|Bearer|Authorization|@127\.0\.0\.1/i, 'no credential of any shape in .git/config');
      // git authenticated with the personal token (through the askpass): the sandbox names the token it saw.
      const credentials = ui.workbench.dataCenter.requests
        .filter((entry) => entry.git && entry.path.includes('/scm/') && entry.credential)
        .map((entry) => entry.credential);
      assert.deepEqual([...new Set(credentials)], [PERSONAL_TOKEN.name]);
      // The clone's row and the notification stay on screen for the step's screenshot.
      await ui.notification(`Cloned into ${target}. Open it?`).hover();
      await ui.treeItem(REPOSITORY.name).waitFor();
    }),
  );
});
