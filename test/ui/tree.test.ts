// Browsing a big workspace: expand it, page through it with "Load more…", then find one repository among
// its 5,000 by typing part of its name, and open it in the browser.
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Page } from 'playwright-core';

import { DEMO } from '../sandbox/seed';
import { UiSession } from './session';

const STEP_TIMEOUT_MS = 60_000;
const SEARCH = '0042';
const FOUND = { name: 'service-0042 mobile', fullName: 'acme/service-0042-mobile' };

describe('Browsing and finding repositories', { timeout: 5 * 60_000 }, () => {
  let ui: UiSession;

  before(
    async () => {
      ui = await UiSession.open('tree');
    },
    { timeout: 4 * 60_000 },
  );

  after(async () => {
    await ui?.close();
  });

  /** Scrolls the tree to its end and checks what "Load more…" says and how many rows come before it. */
  const expectLoadMore = async (page: Page, shown: number) => {
    await page.keyboard.press('End'); // the tree has focus since the last click on one of its rows
    const loadMore = ui.treeItem('Load more…');
    await loadMore.waitFor();
    assert.equal(await loadMore.locator('.label-description').textContent(), `${shown} of 5,000`);
    // The tree knows every row, rendered or not: the repositories plus "Load more…" itself.
    assert.equal(await loadMore.getAttribute('aria-setsize'), String(shown + 1));
    assert.equal(await loadMore.getAttribute('aria-posinset'), String(shown + 1));
    await ui.moveMouseAway();
  };

  const clickLoadMore = async (page: Page, shownAfter: number) => {
    await ui.treeItem('Load more…').click();
    await ui
      .treeRows(2)
      .and(page.locator(`[aria-setsize="${shownAfter + 1}"]`))
      .first()
      .waitFor({ timeout: 20_000 });
  };

  it('signs in from the command palette', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('signed-in', async () => {
      await ui.signInFromPalette(DEMO.email, DEMO.apiToken);
      await ui.widenSideBar();
      await ui.moveMouseAway();
    }),
  );

  it('expands Acme Corporation to its first 50 repositories', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('acme-expanded', async () => {
      await ui.treeItem('Acme Corporation').click();
      await ui.treeRows(2).first().waitFor({ timeout: 20_000 });
      assert.equal(await ui.treeItem('Acme Corporation').getAttribute('aria-expanded'), 'true');
      const first = ui.treeRows(2).first();
      assert.equal(await first.getAttribute('aria-setsize'), '51', '50 repositories and "Load more…"');
      assert.match((await first.getAttribute('aria-label')) ?? '', /^(Private|Public) repository acme\//);
      await ui.moveMouseAway();
      await ui.picture('tree', [ui.page.locator('.part.activitybar'), ui.page.locator('.part.sidebar')]);
    }),
  );

  it('ends the first page with "Load more…" (50 of 5,000)', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('first-page-end', (page) => expectLoadMore(page, 50)),
  );

  it('appends the second page on "Load more…"', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('second-page', async (page) => {
      await clickLoadMore(page, 100);
      await expectLoadMore(page, 100);
    }),
  );

  it('appends the third page on "Load more…"', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('third-page', async (page) => {
      await clickLoadMore(page, 150);
      await expectLoadMore(page, 150);
    }),
  );

  it('opens Find Repository… from the workspace row', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('find-opened', async () => {
      // Acme's row is out of sight by now; it stays pinned at the top of the view, buttons and all.
      const acme = ui.treeItem('Acme Corporation');
      await (await ui.rowAction(acme, 'Find Repository…')).click();
      await ui.waitForQuickInput('Find a repository in Acme Corporation');
      assert.equal(await ui.quickInputField().getAttribute('placeholder'), 'Type to search the repositories of acme by name');
      await ui.quickInputRows().first().waitFor({ timeout: 20_000 });
      await ui.moveMouseAway();
    }),
  );

  it(`searches the server once you pause typing "${SEARCH}"`, { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('find-results', async (page) => {
      const requestsBefore = ui.workbench.sandbox.requests.length;
      await page.keyboard.type(SEARCH);
      await ui.quickInputItem(FOUND.name).waitFor({ timeout: 20_000 });
      await ui.waitForQuickInputIdle();
      assert.equal(await ui.quickInputRows().count(), 1, `only ${FOUND.name} has "${SEARCH}" in its name`);
      assert.match((await ui.quickInputRows().first().textContent()) ?? '', /Exports nightly reports for the mobile domain/);
      // Keys typed within the pause make one search, for the whole text. (A busy machine may deliver a key
      // late and so cause one more; never one per key.)
      const searches = ui.workbench.sandbox.requests
        .slice(requestsBefore)
        .map((request) => request.query.q)
        .filter((query) => query !== undefined);
      assert.equal(searches.at(-1), `name ~ "${SEARCH}"`);
      assert.ok(searches.length < SEARCH.length, `one search per key: ${JSON.stringify(searches)}`);
    }),
  );

  it('offers what to do with the repository picked', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('repository-actions', async (page) => {
      await page.keyboard.press('Enter');
      await ui.waitForQuickInput(FOUND.fullName);
      assert.equal(await ui.quickInputField().getAttribute('placeholder'), 'What do you want to do with it?');
      for (const action of ['Clone', 'Open in Browser', 'Copy Clone URL']) await ui.quickInputItem(action).waitFor();
    }),
  );

  it('opens the repository in a browser tab', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('opened-in-browser', async (page) => {
      const opened = page.context().waitForEvent('page', { timeout: 20_000 });
      await ui.quickInputItem('Open in Browser').click();
      const tab = await opened;
      try {
        await tab.waitForLoadState('load');
        // code-server sends a loopback address through its own /proxy/<port>/ and drops the path on the
        // way, so the sandbox's home page shows instead of the repository page. Either one is the sandbox.
        const sandboxPort = new URL(ui.workbench.sandbox.url).port;
        const direct = `${ui.workbench.sandbox.url}/${FOUND.fullName}`;
        const proxied = new RegExp(`/proxy/${sandboxPort}/`);
        assert.ok(tab.url() === direct || proxied.test(tab.url()), `the tab shows the sandbox's site, not ${tab.url()}`);
        assert.match(await tab.title(), /Bitbucket sandbox|service-0042/);
        await ui.screenshotOf(tab, 'tab');
      } finally {
        await tab.close();
      }
      await page.bringToFront();
      await ui.quickInput.waitFor({ state: 'hidden' });
    }),
  );

  // VS Code hands a view-title command the tree's focused row: a repository row means its workspace.
  it('Find Repository… in the view title works while a repository row is focused', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('find-from-title-bar', async () => {
      await ui
        .treeRows(2)
        .filter({ hasNot: ui.page.locator('.label-name', { hasText: 'Load more…' }) })
        .last()
        .click();
      await ui.viewTitleAction('Find Repository…').click();
      await ui.quickInput.waitFor({ state: 'visible' });
      await ui.quickInput.locator('.quick-input-title', { hasText: /\S/ }).waitFor();
      await ui.moveMouseAway();
      const title = await ui.quickInputTitle();
      assert.match(title, /^(Choose a workspace|Find a repository in Acme Corporation)$/);
    }),
  );
});
