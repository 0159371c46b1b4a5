// Opening a repository without cloning, as a person does: the row's "Open Without Cloning…" button, "Open in
// This Window", then the Explorer showing the repository's folders, a README open in a read-only editor,
// an image previewed, all read from the sandbox's src API, and the status bar naming the branch shown.
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { DEMO } from '../sandbox/seed';
import { UiSession } from './session';

const STEP_TIMEOUT_MS = 60_000;
const REPOSITORY = DEMO.specialRepository;

describe('Opening a repository without cloning', { timeout: 5 * 60_000 }, () => {
  let ui: UiSession;

  before(
    async () => {
      ui = await UiSession.open('browse');
    },
    { timeout: 4 * 60_000 },
  );

  after(async () => {
    await ui?.close();
  });

  const row = () => ui.treeItem(REPOSITORY.slug);
  const explorerRow = (label: string) => ui.page.locator(`.part.sidebar .explorer-folders-view .monaco-list-row[aria-label="${label}"]`);

  it('shows Open Without Cloning on a repository row', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('row-button', async () => {
      await ui.signInFromPalette(DEMO.email, DEMO.apiToken);
      await ui.widenSideBar();
      await ui.treeItem('Demo User').click();
      await row().waitFor({ timeout: 20_000 });
      await ui.rowAction(row(), 'Open Without Cloning…');
    }),
  );

  it('asks where to open it', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('where', async () => {
      await (await ui.rowAction(row(), 'Open Without Cloning…')).click();
      await ui.waitForQuickInput('Open without cloning');
      await ui.quickInputItem('Open in This Window').waitFor();
      await ui.quickInputItem('Open in New Window').waitFor();
      await ui.moveMouseAway();
    }),
  );

  it('reopens the window on the repository: the Explorer lists its folders', { timeout: 2 * STEP_TIMEOUT_MS }, () =>
    ui.step('explorer', async (page) => {
      await ui.quickInputItem('Open in This Window').click();
      await page.waitForURL((url) => (url.searchParams.get('folder') ?? '').startsWith('bitbucket://'), { timeout: 30_000 });
      await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 60_000 });
      const explorer = page.locator('.part.sidebar .explorer-folders-view');
      if (!(await explorer.isVisible())) await ui.activityBarItem('Explorer').click();
      for (const name of ['docs', 'images', 'many-files', 'README.md']) await explorerRow(name).waitFor({ timeout: 30_000 });
      assert.match(await page.title(), new RegExp(REPOSITORY.slug));
    }),
  );

  it('opens the README read-only', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('readme', async (page) => {
      await explorerRow('README.md').dblclick();
      const tab = page.locator('.tabs-container .tab', { hasText: 'README.md' });
      await tab.waitFor({ timeout: 20_000 });
      const editor = page.locator('.editor-instance .monaco-editor').first();
      await editor
        .locator('.view-lines')
        .filter({ hasText: /special/i })
        .waitFor({ timeout: 20_000 });
      // Typing changes nothing: VS Code says the editor is read-only.
      await editor.click();
      await page.keyboard.type('x');
      await page.locator('.monaco-editor-overlaymessage', { hasText: /read-only|Cannot edit/i }).waitFor({ timeout: 10_000 });
      assert.equal(await tab.locator('.dirty-indicator, .codicon-circle-filled').count(), 0, 'the tab is not dirty');
      await ui.picture('browse', [page.locator('.monaco-workbench')]);
    }),
  );

  it('previews an image', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('image', async (page) => {
      await explorerRow('images').click();
      await explorerRow('logo.png').dblclick();
      await page.locator('.tabs-container .tab', { hasText: 'logo.png' }).waitFor({ timeout: 20_000 });
      const image = ui.webviewContent().locator('img');
      await image.waitFor({ timeout: 30_000 });
      await ui.moveMouseAway();
    }),
  );

  it('the status bar names the branch shown, main, as a branch', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('branch', async (page) => {
      const item = page.locator('.part.statusbar .statusbar-item[id$=".bitbucket.browsedRef"]');
      await item.waitFor({ timeout: 20_000 }); // shown once it knows what to say
      const text = (await item.textContent())?.trim();
      assert.equal(text, 'main', `the status bar shows "${text}", not the main branch the repository was opened at`);
      assert.equal(await item.locator('.codicon-git-branch').count(), 1, 'with the branch icon');
      const label = await item.getAttribute('aria-label');
      assert.match(label ?? '', /^Bitbucket branch main\b/, `a screen reader hears "${label}"`);
    }),
  );
});
