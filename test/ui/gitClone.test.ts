// VS Code's own "Git: Clone" knows Bitbucket: it offers "Clone from Bitbucket", whose list searches the
// signed-in user's workspaces on the server as they type.
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { DEMO } from '../sandbox/seed';
import { UiSession } from './session';

const STEP_TIMEOUT_MS = 60_000;

describe('"Git: Clone" lists Bitbucket repositories', { timeout: 5 * 60_000 }, () => {
  let ui: UiSession;

  before(
    async () => {
      ui = await UiSession.open('git-clone');
    },
    { timeout: 4 * 60_000 },
  );

  after(async () => {
    await ui?.close();
  });

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
});
