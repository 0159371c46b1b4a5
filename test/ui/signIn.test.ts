// Signing in as a person does: the welcome view's button, the kind of credential, the email, the token in a
// password box. First with a wrong token (an error that says what is wrong, Try Again keeps the email, and
// still signed out), then with the right one (a notification naming the account, the workspaces in the tree).
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { DEMO } from '../sandbox/seed';
import { UiSession } from './session';

const STEP_TIMEOUT_MS = 60_000;
/** Shaped like an API token, so only Bitbucket can tell it is wrong. */
const WRONG_TOKEN = 'ATATT3xFfGF0NotTheRightToken0sandbox1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c=0A1B2C3D';
const WORKSPACES = ['Acme Corporation', 'Demo User', 'Empty Space', 'Thé House · Ünicode Ltd.'];

describe('Signing in to Bitbucket', { timeout: 5 * 60_000 }, () => {
  let ui: UiSession;
  let second: UiSession | undefined;

  before(
    async () => {
      ui = await UiSession.open('sign-in');
    },
    { timeout: 4 * 60_000 },
  );

  after(async () => {
    await ui?.close();
  });

  const signedOutView = async () => {
    await ui.welcomeButton('Sign in to Bitbucket').waitFor();
    assert.equal(await ui.treeRows().count(), 0, 'a signed-out view lists no workspaces');
  };

  it('shows the welcome view with a sign-in button', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('welcome', async () => {
      await ui.openBitbucketView();
      await signedOutView();
    }),
  );

  it('asks which kind of credential you have', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('credential-kind', async () => {
      await ui.welcomeButton('Sign in to Bitbucket').click();
      await ui.waitForQuickInput(/^Sign in to Bitbucket \(1\/3\)$/);
      assert.equal(await ui.quickInputField().getAttribute('placeholder'), 'Which kind of credential do you have?');
      await ui.quickInputItem('API token').waitFor();
      await ui.quickInputItem('Access token').waitFor();
      assert.match((await ui.quickInputItem('API token').textContent()) ?? '', /recommended/);
    }),
  );

  it('checks the email as you type', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('email-invalid', async (page) => {
      await ui.quickInputItem('API token').click();
      await ui.waitForQuickInput('Sign in to Bitbucket: Atlassian account email (2/3)');
      await page.keyboard.type('demo@example');
      await ui.quickInputMessage().filter({ hasText: 'That is not an email address' }).waitFor();
      assert.ok(await ui.quickInputHasError(), 'the box is marked as invalid');
    }),
  );

  it('accepts a real email address', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('email', async (page) => {
      await page.keyboard.type('.com');
      await ui.quickInputMessage().filter({ hasText: 'The email you sign in to Atlassian with' }).waitFor();
      assert.equal(await ui.quickInputHasError(), false);
      assert.equal(await ui.quickInputField().inputValue(), DEMO.email);
    }),
  );

  it('hides the token as you type it', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('wrong-token-typed', async (page) => {
      await page.keyboard.press('Enter');
      await ui.waitForQuickInput('Sign in to Bitbucket: API token (3/3)');
      assert.equal(await ui.quickInputField().getAttribute('type'), 'password');
      await page.keyboard.type(WRONG_TOKEN);
      assert.equal(await ui.quickInputHasError(), false, 'a well-formed token passes the check as you type');
      await ui.quickInput
        .locator('.quick-input-right-action-bar .action-label[aria-label="Open the page where you create a token"]')
        .waitFor();
    }),
  );

  it('says the email or token is wrong, and stays signed out', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('wrong-token-error', async (page) => {
      await page.keyboard.press('Enter');
      // Modal, so the answer (Try Again or not) cannot slip away with a fading toast.
      const error = ui.dialog('Bitbucket did not accept the email and API token');
      await error.waitFor({ timeout: 20_000 });
      await error.locator('.dialog-icon[aria-label="Error"]').waitFor();
      for (const button of ['Try Again', 'Create API Token', 'Cancel']) await ui.dialogButton(error, button).waitFor();
      assert.equal(await ui.quickInput.isVisible(), false, 'the prompts closed');
      await signedOutView();
    }),
  );

  it('tries again with the email already filled in', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('try-again', async () => {
      const error = ui.dialog('Bitbucket did not accept the email and API token');
      await ui.dialogButton(error, 'Try Again').click();
      await error.waitFor({ state: 'hidden' });
      await ui.waitForQuickInput(/^Sign in to Bitbucket \(1\/3\)$/);
      await ui.quickInputItem('API token').click();
      await ui.waitForQuickInput('Atlassian account email (2/3)');
      assert.equal(await ui.quickInputField().inputValue(), DEMO.email);
      await ui.moveMouseAway();
    }),
  );

  it('stays on the welcome view when the prompts are closed', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('cancelled', async () => {
      await ui.closeQuickInput();
      await signedOutView();
    }),
  );

  it('signs in with the right token from the welcome button', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('right-token-typed', async (page) => {
      await ui.welcomeButton('Sign in to Bitbucket').click();
      await ui.waitForQuickInput(/^Sign in to Bitbucket \(1\/3\)$/);
      await ui.quickInputItem('API token').click();
      await ui.waitForQuickInput('Atlassian account email (2/3)');
      assert.equal(await ui.quickInputField().inputValue(), '', 'a new sign-in starts afresh');
      await page.keyboard.type(DEMO.email);
      await page.keyboard.press('Enter');
      await ui.waitForQuickInput('API token (3/3)');
      await page.keyboard.type(DEMO.apiToken);
      assert.equal(await ui.quickInputField().getAttribute('type'), 'password');
    }),
  );

  it('says who you are signed in as and lists your workspaces', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('signed-in', async (page) => {
      await page.keyboard.press('Enter');
      const done = ui.notification(`Signed in to Bitbucket as ${DEMO.displayName} (${DEMO.email}).`);
      await done.waitFor({ timeout: 20_000 });
      // The finished check's progress toast leaves shortly; then the message shows whole.
      await ui.notification('Checking your Bitbucket credentials').waitFor({ state: 'hidden' });
      // Slugs show first, display names as they arrive: wait until every row has its name.
      await ui.expectTreeLabels(1, WORKSPACES);
      assert.equal(await ui.welcomeButton('Sign in to Bitbucket').count(), 0, 'the welcome content is gone');
    }),
  );

  // Another window shares the secret store. In the browser-based editor each tab reads that store once, when
  // it loads, so the other tab follows a sign-out after a reload (desktop VS Code tells every window at once).
  // Opening a second tab loads a whole workbench, slow on a busy machine: it gets the budget of two steps.
  it('shows the same account in a second window', { timeout: 2 * STEP_TIMEOUT_MS }, async () => {
    second = await ui.openSecondTab();
    await second.step('opened', async () => {
      await second!.focusBitbucketView();
      await second!.treeItem('Acme Corporation').waitFor({ timeout: 30_000 });
    });
  });

  it('signs the second window out too once it reloads', { timeout: 2 * STEP_TIMEOUT_MS }, async () => {
    await ui.step('signed-out', async () => {
      await ui.page.bringToFront();
      await ui.runCommand('Bitbucket: Sign Out');
      await ui.notification('Signed out of Bitbucket.').waitFor();
      await signedOutView();
    });
    await second!.step('reloaded', async () => {
      await second!.page.bringToFront();
      await second!.reload();
      await second!.focusBitbucketView();
      await second!.welcomeButton('Sign in to Bitbucket').waitFor({ timeout: 30_000 });
      assert.equal(await second!.treeRows().count(), 0, 'no workspaces left in the second window');
    });
  });
});
