// Drives the workbench as a person would: look at it, open the Bitbucket view from the activity bar, find
// the Bitbucket commands in the command palette. Each step leaves a screenshot in test-results/screenshots/.
// To add a step: add an `it` that calls `ui.step(name, async (page) => { ...act and assert... })`.
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { manifest, UiSession } from './session';

const STEP_TIMEOUT_MS = 60_000;

describe('Bitbucket in the workbench', { timeout: 5 * 60_000 }, () => {
  let ui: UiSession;
  const contributes = manifest().contributes ?? {};
  const container = contributes.viewsContainers?.activitybar?.find((entry) => entry.id === 'bitbucket');
  const signInWelcome = contributes.viewsWelcome?.find(
    (entry) => entry.view === 'bitbucket.repositories' && /signedOut/.test(entry.when ?? ''),
  );

  before(
    async () => {
      ui = await UiSession.open('workbench');
    },
    { timeout: 4 * 60_000 },
  );

  after(async () => {
    await ui?.close();
  });

  it('opens the workbench on the test folder', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('workbench', async (page) => {
      await page
        .locator('.part.sidebar .pane-header', { hasText: /workspace/i })
        .first()
        .waitFor();
      assert.match(await page.title(), /workspace/i);
    }),
  );

  it(
    'opens the Bitbucket view from the activity bar',
    { timeout: STEP_TIMEOUT_MS, skip: !container && 'no view container contributed yet' },
    () =>
      ui.step('activity-bar', async (page) => {
        const icon = ui.activityBarItem(container!.title);
        await icon.waitFor({ timeout: 30_000 });
        await icon.click();
        const sideBarTitle = page.locator('.part.sidebar .composite.title');
        await sideBarTitle.filter({ hasText: new RegExp(container!.title, 'i') }).waitFor();
        for (const view of contributes.views?.[container!.id] ?? []) {
          await page.locator('.part.sidebar').getByText(view.name, { exact: false }).first().waitFor();
        }
      }),
  );

  it(
    'invites a signed-out user to sign in',
    { timeout: STEP_TIMEOUT_MS, skip: !signInWelcome && 'no signed-out welcome content yet' },
    () =>
      ui.step('signed-out-welcome', async (page) => {
        // Links in viewsWelcome content render as buttons when they sit on a line of their own.
        for (const [, label] of signInWelcome!.contents.matchAll(/^\[([^\]]+)\]\(command:[^)]+\)$/gm)) {
          await page.locator('.part.sidebar .welcome-view-content').getByRole('button', { name: label }).waitFor();
        }
      }),
  );

  it('lists the Bitbucket commands in the command palette', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('command-palette', async () => {
      // Commands with a commandPalette `when` clause depend on state (signed in or not); check the others.
      const conditional = new Set(
        (contributes.menus?.commandPalette ?? []).filter((entry) => entry.when !== undefined).map((entry) => entry.command),
      );
      const always = (contributes.commands ?? []).filter((command) => !conditional.has(command.command));
      await ui.openCommandPalette();
      // One at a time, since the palette renders only the rows that fit on screen.
      for (const command of always) {
        const label = command.category ? `${command.category}: ${command.title}` : command.title;
        await ui.filterQuickInput(`>${label}`);
        await ui.quickInputRow(label).waitFor({ timeout: 10_000 });
      }
      // Leave the palette showing everything Bitbucket for the screenshot.
      await ui.filterQuickInput('>Bitbucket');
      await ui.quickInputRow('Bitbucket').waitFor();
    }),
  );

  it('closes the command palette with Escape', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('palette-closed', async () => {
      await ui.closeQuickInput();
    }),
  );
});
