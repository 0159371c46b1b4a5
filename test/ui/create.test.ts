// Creating a repository through the guided flow: workspace, project, name (its address shown live, a taken
// name refused after a pause), visibility (and Back to the name, which is kept), description, confirm. The
// new repository then heads its workspace in the tree.
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { DEMO } from '../sandbox/seed';
import { UiSession } from './session';

const STEP_TIMEOUT_MS = 60_000;
const NAME = 'UI Created Repo';
const SLUG = 'acme/ui-created-repo';
/** acme's first seeded repository. */
const TAKEN = { name: 'service-0001 api', slug: 'acme/service-0001-api' };

describe('Creating a repository', { timeout: 5 * 60_000 }, () => {
  let ui: UiSession;

  before(
    async () => {
      ui = await UiSession.open('create');
    },
    { timeout: 4 * 60_000 },
  );

  after(async () => {
    await ui?.close();
  });

  const expectAddress = async (slug: string) => {
    await ui
      .quickInputMessage()
      .filter({ hasText: `Its address will be ${slug}` })
      .waitFor();
    assert.equal(await ui.quickInputHasError(), false);
  };

  it('signs in and expands Acme Corporation', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('acme-expanded', async () => {
      await ui.signInFromPalette(DEMO.email, DEMO.apiToken);
      await ui.widenSideBar();
      await ui.treeItem('Acme Corporation').click();
      await ui.treeRows(2).first().waitFor({ timeout: 20_000 });
      assert.notEqual((await ui.treeRows(2).first().locator('.label-name').textContent())?.trim(), NAME);
      await ui.moveMouseAway();
    }),
  );

  it('step 1/6 asks for the workspace', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('workspace', async () => {
      await ui.runCommand('Bitbucket: Create Repository…');
      await ui.waitForQuickInput('Create a Bitbucket repository: workspace (1/6)');
      for (const name of ['Acme Corporation', 'Demo User', 'Empty Space', 'Thé House · Ünicode Ltd.']) {
        await ui.quickInputItem(name).waitFor({ timeout: 20_000 });
      }
      assert.equal(await ui.quickInputBackButton().count(), 0, 'no Back on the first step');
    }),
  );

  it('step 2/6 asks for the project', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('project', async () => {
      await ui.quickInputItem('Acme Corporation').click();
      await ui.waitForQuickInput('Create a Bitbucket repository in Acme Corporation: project (2/6)');
      const defaultProject = ui.quickInputItem("The workspace's default project");
      await defaultProject.waitFor({ timeout: 20_000 });
      assert.equal(await ui.quickInputRows().first().getAttribute('aria-label'), await defaultProject.getAttribute('aria-label'));
      await ui.quickInputItem('Platform').waitFor();
      await ui.quickInputBackButton().waitFor();
    }),
  );

  it('step 3/6 asks for a name', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('name-empty', async () => {
      await ui.quickInputItem("The workspace's default project").click();
      await ui.waitForQuickInput('Create a Bitbucket repository in Acme Corporation: name (3/6)');
      assert.equal(await ui.quickInputField().inputValue(), '');
      assert.equal(await ui.quickInputField().getAttribute('placeholder'), 'e.g. payments-api');
      await ui.quickInputMessage().filter({ hasText: /\S/ }).waitFor();
      // An empty step waits for typing before it complains.
      assert.doesNotMatch((await ui.quickInputMessage().first().textContent()) ?? '', /Enter a name/);
      await ui.moveMouseAway();
    }),
  );

  it('step 3/6 shows the address a name will get as you type', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('name-address', async (page) => {
      await page.keyboard.type(NAME);
      await expectAddress(SLUG);
      await ui.picture('create', [page.locator('.quick-input-widget'), page.locator('.part.sidebar')]);
    }),
  );

  it('step 3/6 says, after a pause, that a name is taken', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('name-taken', async () => {
      const messages = await ui.recordQuickInputMessages();
      await ui.filterQuickInput(TAKEN.name);
      const taken = `${TAKEN.slug} already exists. Choose another name.`;
      await ui.quickInputMessage().filter({ hasText: taken }).waitFor({ timeout: 10_000 });
      assert.ok(await ui.quickInputHasError(), 'the box is marked as invalid');
      // At once the address; only after the pause, once the server has answered, the refusal.
      const shown = await messages();
      const address = shown.findIndex((text) => text.startsWith(`Its address will be ${TAKEN.slug}`));
      assert.ok(address >= 0 && address < shown.indexOf(taken), `messages in order: ${JSON.stringify(shown)}`);
    }),
  );

  it('step 3/6 accepts a fresh name', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('name-fresh', async (page) => {
      await ui.filterQuickInput(NAME);
      await expectAddress(SLUG);
      // Let the pause pass and the server answer: still no complaint.
      await page.waitForTimeout(600);
      await ui.waitForQuickInputIdle();
      await expectAddress(SLUG);
    }),
  );

  it('step 4/6 asks for the visibility, private first', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('visibility', async (page) => {
      await page.keyboard.press('Enter');
      await ui.waitForQuickInput(`Create ${SLUG}: visibility (4/6)`);
      await ui.quickInputItem('Private').waitFor();
      await ui.quickInputItem('Public').waitFor();
      assert.match((await ui.quickInputItem('Private').getAttribute('class')) ?? '', /\bfocused\b/);
    }),
  );

  it('Back returns to the name step with the name kept', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('back-to-name', async () => {
      await ui.quickInputBackButton().click();
      await ui.waitForQuickInput('Create a Bitbucket repository in Acme Corporation: name (3/6)');
      assert.equal(await ui.quickInputField().inputValue(), NAME);
      await expectAddress(SLUG);
      await ui.moveMouseAway();
    }),
  );

  it('step 5/6 asks for an optional description', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('description', async (page) => {
      await page.keyboard.press('Enter');
      await ui.waitForQuickInput(`Create ${SLUG}: visibility (4/6)`);
      await ui.quickInputItem('Private').click();
      await ui.waitForQuickInput(`Create ${SLUG}: description (5/6)`);
      await ui.quickInputMessage().filter({ hasText: 'Press Enter to skip.' }).waitFor();
      assert.equal(await ui.quickInputField().inputValue(), '');
    }),
  );

  it('step 6/6 sums up what will be created', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('confirm', async (page) => {
      await page.keyboard.press('Enter'); // skip the description
      await ui.waitForQuickInput(`Create ${SLUG}: confirm (6/6)`);
      const create = ui.quickInputItem(`Create private repository ${SLUG}`);
      await create.waitFor();
      // Beside and below the action: the project chosen, and the name typed with the address it gets.
      const summary = (await create.textContent()) ?? '';
      assert.match(summary, /default project/);
      assert.match(summary, new RegExp(`"${NAME}"`));
    }),
  );

  it('creates it and shows it first under Acme Corporation', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('created', async (page) => {
      await page.keyboard.press('Enter');
      const created = ui.notification(`Created ${SLUG}.`);
      await created.waitFor({ timeout: 20_000 });
      await created.hover();
      await ui.notificationButton(created, 'Clone').waitFor();
      await ui.notificationButton(created, 'Open in Browser').waitFor();
      const first = ui.treeRows(2).and(page.locator('[aria-posinset="1"]'));
      await first.locator('.label-name', { hasText: NAME }).waitFor();
      assert.match((await first.getAttribute('aria-label')) ?? '', new RegExp(`^Private repository ${SLUG}\\b`));
      assert.equal(await first.getAttribute('aria-setsize'), '52', 'the first page, the new one and "Load more…"');
    }),
  );

  // Someone else takes the name between the check and the confirm: the server's field error brings the
  // user back to the name step, with what they typed.
  it('a name taken after it was checked brings the flow back to the name step', { timeout: 2 * STEP_TIMEOUT_MS }, () =>
    ui.step('race', async (page) => {
      const raceName = 'UI Race Repo';
      const raceSlug = 'acme/ui-race-repo';
      await ui.runCommand('Bitbucket: Create Repository…');
      await ui.quickInputItem('Acme Corporation').click();
      await ui.waitForQuickInput(/project \(2\/6\)$/);
      await ui.quickInputItem("The workspace's default project").click();
      await ui.waitForQuickInput('name (3/6)');
      await page.keyboard.type(raceName);
      await page.waitForTimeout(600);
      await ui.waitForQuickInputIdle();
      await page.keyboard.press('Enter');
      await ui.quickInputItem('Private').click();
      await ui.waitForQuickInput('description (5/6)');
      await page.keyboard.press('Enter');
      await ui.waitForQuickInput('confirm (6/6)');
      // Another client creates the same repository now.
      const sandbox = ui.workbench.sandbox;
      const basic = Buffer.from(`${DEMO.email}:${DEMO.apiToken}`).toString('base64');
      const response = await fetch(`${sandbox.apiUrl}/repositories/${raceSlug}`, {
        method: 'POST',
        headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ scm: 'git', name: raceName, is_private: true }),
      });
      assert.equal(response.status, 200);
      await page.keyboard.press('Enter');
      await ui.waitForQuickInput('Create a Bitbucket repository in Acme Corporation: name (3/6)');
      assert.equal(await ui.quickInputField().inputValue(), raceName);
      await ui
        .quickInputMessage()
        .filter({ hasText: /already exists/ })
        .waitFor({ timeout: 10_000 });
      await ui.moveMouseAway();
    }),
  );
});
