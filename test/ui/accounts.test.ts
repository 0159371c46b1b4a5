// Two accounts, as a person adds them: sign in, then "Bitbucket: Add Account…" with a second account. The
// view turns to one row per account, each with its workspaces (acme under both); signing out of one from
// its row's context menu brings the view back to the other's workspaces.
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { DEMO } from '../sandbox/seed';
import { UiSession, exactly } from './session';

const STEP_TIMEOUT_MS = 60_000;
const DEMO_ACCOUNT = `${DEMO.displayName} (${DEMO.email})`;
const SECOND_ACCOUNT = `${DEMO.second.displayName} (${DEMO.second.email})`;
const DEMO_WORKSPACES = ['Acme Corporation', 'Demo User', 'Empty Space', 'Thé House · Ünicode Ltd.'];

describe('Several accounts', { timeout: 5 * 60_000 }, () => {
  let ui: UiSession;

  before(
    async () => {
      ui = await UiSession.open('accounts');
    },
    { timeout: 4 * 60_000 },
  );

  after(async () => {
    await ui?.close();
  });

  it('with one account, its workspaces are the top rows', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('one-account', async () => {
      await ui.signInFromPalette(DEMO.email, DEMO.apiToken);
      await ui.widenSideBar();
      await ui.expectTreeLabels(1, DEMO_WORKSPACES);
      await ui.moveMouseAway();
    }),
  );

  it('adds a second account from the palette', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('second-account-added', async () => {
      await ui.runCommand('Bitbucket: Add Account…');
      await ui.answerSignInPrompts(DEMO.second.email, DEMO.second.apiToken);
      await ui.notification(`Added the Bitbucket account ${SECOND_ACCOUNT}.`).waitFor({ timeout: 20_000 });
      await ui.notification('Checking your Bitbucket credentials').waitFor({ state: 'hidden' });
    }),
  );

  it('shows one row per account, each with its workspaces, and acme under both', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('two-accounts', async (page) => {
      await ui.expectTreeLabels(1, [DEMO_ACCOUNT, SECOND_ACCOUNT]);
      // Each account row says which workspaces it reaches, once they are listed.
      const secondRow = ui.treeItem(SECOND_ACCOUNT);
      await secondRow.locator('.label-description', { hasText: 'acme, second-user' }).waitFor({ timeout: 20_000 });
      await ui.treeItem('Second User').waitFor({ timeout: 20_000 }); // second-user's personal workspace, by its name
      const acmeRows = page
        .locator('.part.sidebar .customview-tree .monaco-list-row[aria-level="2"]')
        .filter({ has: page.locator('.label-name', { hasText: exactly('Acme Corporation') }) });
      await acmeRows.nth(1).waitFor({ timeout: 20_000 });
      assert.equal(await acmeRows.count(), 2, 'acme shows under both accounts');
      await ui.moveMouseAway();
      await ui.picture('accounts', [page.locator('.part.activitybar'), page.locator('.part.sidebar')]);
    }),
  );

  it('signs out of the second account from its row; the first stays', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('second-signed-out', async (page) => {
      await ui.treeItem(SECOND_ACCOUNT).click({ button: 'right' });
      const menu = page.locator('.context-view .monaco-menu');
      await menu.waitFor();
      await menu.getByRole('menuitem', { name: 'Sign Out' }).click();
      await ui.notification(`Signed out of ${SECOND_ACCOUNT}.`).waitFor({ timeout: 20_000 });
      // "Thé House" showed under the first account's row too: only the whole top level says the tree changed.
      await ui.expectTreeLabels(1, DEMO_WORKSPACES, 'one account again: its workspaces are the top rows');
      await ui.moveMouseAway();
    }),
  );
});
