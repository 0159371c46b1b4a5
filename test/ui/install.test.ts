// The Get Started walkthrough opens once after the first install, and never again unbidden. The window starts as
// the harness's do, quietly (no Welcome page) and without the extension; the test installs the .vsix of the current
// build the way a person does (Extensions: Install from VSIX... and the file dialog), and the walkthrough opens.
// After a reload, and in a new window, the extension is still there and the walkthrough stays closed.
//
// VS Code opens an installed extension's walkthrough itself only if its walkthrough service already runs in the
// window, which takes the Welcome page (microsoft/vscode#184960): in this quiet window it opens nothing, so what
// opens the walkthrough here is the extension (src/walkthrough/walkthrough.ts, on its first start as an installed
// extension with no account). Where VS Code opens it too, the extension's call only brings it forward.
//
// In the browser VS Code saves which editors are open every few seconds, not as the page unloads: a reload right
// after closing the walkthrough would bring its tab back as it was. The reload waits until the closing is saved.
//
// The .vsix holds what `npm run package` would ship, packed from dist/ as it is (test/harness/stage.ts): packaging
// through npm would run the production build and replace the dist/ other tests are running.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Page } from 'playwright-core';

import { extensionId, localizedManifest, readManifest, repoRoot } from '../harness/paths';
import { packageCurrentBuild } from '../harness/stage';
import { UiSession } from './session';

const STEP_TIMEOUT_MS = 60_000;
/** How long a window is watched, once the extension is registered, for a walkthrough opening by itself. */
const QUIET_PERIOD_MS = 8_000;

interface Walkthrough {
  id: string;
  title: string;
  steps: { id: string; title: string; media: { markdown: string } }[];
}

const { displayName, contributes } = localizedManifest<{
  displayName: string;
  contributes: { viewsContainers: { activitybar: { id: string; title: string }[] }; walkthroughs: Walkthrough[] };
}>();
const walkthrough = contributes.walkthroughs.find((entry) => entry.id === 'getStarted')!;
const container = contributes.viewsContainers.activitybar.find((entry) => entry.id === 'bitbucket')!;
/** VS Code's id for the walkthrough: `publisher.name#id`. */
const categoryId = `${extensionId()}#${walkthrough.id}`;

/**
 * Whether the window's saved workspace state, what a reload restores, holds an editor showing `category`: the
 * workbench's editor layout in its IndexedDB store, where VS Code in the browser keeps it.
 */
function savedEditorsShow(page: Page, category: string): Promise<boolean> {
  return page.evaluate(async (id) => {
    const settle = <T>(request: IDBRequest<T>) =>
      new Promise<T>((resolve, reject) => {
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
      });
    for (const { name } of await indexedDB.databases()) {
      // One database per workspace, beside the global one.
      if (!name?.startsWith('vscode-web-state-db-') || name === 'vscode-web-state-db-global') continue;
      const db = await settle(indexedDB.open(name));
      try {
        if (!db.objectStoreNames.contains('ItemTable')) continue;
        const layout = await settle(db.transaction('ItemTable', 'readonly').objectStore('ItemTable').get('memento/workbench.parts.editor'));
        if (typeof layout === 'string' && layout.includes(id)) return true;
      } finally {
        db.close();
      }
    }
    return false;
  }, category);
}

describe('Installing the extension from a .vsix', { timeout: 8 * 60_000 }, () => {
  let ui: UiSession;
  let tmp: string;
  let vsix: string;

  before(
    async () => {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bitbucket-install-'));
      const { name, version } = readManifest();
      vsix = packageCurrentBuild(path.join(tmp, 'staged'), path.join(tmp, `${name}-${version}.vsix`));
      ui = await UiSession.open('install', {
        developmentExtension: false,
        // VS Code's default, which the harness turns off for the tests that load the extension for development.
        settings: { 'workbench.welcomePage.walkthroughs.openOnInstall': true },
      });
    },
    { timeout: 4 * 60_000 },
  );

  after(async () => {
    await ui?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** The page of the walkthrough shown in the editor area (its heading, and the list of its steps). */
  const heading = (page: Page) =>
    page.locator('.part.editor .gettingStartedSlideDetails h2.category-title', { hasText: walkthrough.title });
  const stepRow = (id: string) =>
    ui.page.locator(`.part.editor .gettingStartedSlideDetails button.getting-started-step[data-step-id="${categoryId}#${id}"]`);
  const walkthroughTab = (session: UiSession) => session.editorTabs().filter({ hasText: `Walkthrough: ${displayName}` });
  const bitbucketIcon = (session: UiSession) => session.activityBarItem(container.title);
  /** The folders the extension is installed in, in the editor's extensions folder. */
  const installedFolders = () => fs.readdirSync(ui.workbench.dirs.extensions).filter((entry) => entry.startsWith(`${extensionId()}-`));

  /** Watches the window for QUIET_PERIOD_MS: neither this walkthrough's page nor its tab may show. */
  const assertStaysClosed = async (session: UiSession) => {
    const { page } = session;
    const deadline = Date.now() + QUIET_PERIOD_MS;
    while (Date.now() < deadline) {
      assert.equal(await heading(page).isVisible(), false, `"${walkthrough.title}" opened by itself`);
      assert.equal(await walkthroughTab(session).count(), 0, `a "Walkthrough: ${displayName}" tab opened by itself`);
      await page.waitForTimeout(250);
    }
  };

  it('starts without the Bitbucket extension', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('new-window', async (page) => {
      await ui.activityBarItem('Explorer').waitFor();
      assert.equal(await ui.editorTabs().count(), 0, 'no editor open');
      assert.equal(await bitbucketIcon(ui).count(), 0, 'no Bitbucket view in the activity bar');
      assert.equal(await heading(page).count(), 0, `"${walkthrough.title}" is not there yet`);
      assert.deepEqual(installedFolders(), [], 'nothing installed in the extensions folder');
      await ui.openCommandPalette(`${container.title}: `);
      await ui.quickInputRow('No matching commands').waitFor();
      assert.equal(
        await ui
          .quickInputRows()
          .filter({ hasText: `${container.title}:` })
          .count(),
        0,
        'no Bitbucket commands in the palette',
      );
      await ui.closeQuickInput();
    }),
  );

  it('installs the .vsix with Extensions: Install from VSIX...', { timeout: 2 * STEP_TIMEOUT_MS }, () =>
    ui.step('install-from-vsix', async (page) => {
      const seen = await ui.recordNotifications();
      await ui.runCommand('Extensions: Install from VSIX...');
      // code-server has no native file dialog: VS Code's own, a quick input that takes a path, opens on the home folder.
      await ui.waitForQuickInput('Install from VSIX');
      await page.waitForFunction(() =>
        document.querySelector<HTMLInputElement>('.quick-input-widget .quick-input-box input')?.value.endsWith('/'),
      );
      await ui.quickInputRow('..').waitFor();
      await ui.filterQuickInput(vsix);
      await ui.quickInputRow(path.basename(vsix)).waitFor();
      assert.equal(await ui.quickInputField().inputValue(), vsix);
      await page.keyboard.press('Enter');
      await ui.quickInput.waitFor({ state: 'hidden' });
      await ui.waitForNotificationShown(seen, 'Completed installing extension', 60_000);
    }),
  );

  it('opens the walkthrough by itself, and the Bitbucket view appears', { timeout: 2 * STEP_TIMEOUT_MS }, () =>
    ui.step('walkthrough-opened', async (page) => {
      await heading(page).waitFor({ timeout: 60_000 });
      await walkthroughTab(ui).waitFor();
      assert.equal(await ui.editorTabs().count(), 1, 'only the walkthrough is open');
      for (const step of walkthrough.steps) {
        await stepRow(step.id).locator('h3.step-title', { hasText: step.title }).waitFor();
      }
      // The first step's page, from the package: its file is named by package.nls.json.
      const firstPage = fs.readFileSync(path.join(repoRoot, walkthrough.steps[0].media.markdown), 'utf8');
      const pageHeading = ui.webviewContent().locator('h1');
      await pageHeading.waitFor({ timeout: 30_000 });
      assert.equal((await pageHeading.textContent())?.trim(), /^# (.+)$/m.exec(firstPage)?.[1]);
      await bitbucketIcon(ui).waitFor({ timeout: 30_000 });
      assert.equal(installedFolders().length, 1, 'installed once, into the extensions folder');
      await ui.moveMouseAway();
      await ui.picture('walkthrough', [page.locator('.monaco-workbench')]);
    }),
  );

  it('does not open it again after the window reloads, and stays installed', { timeout: 3 * STEP_TIMEOUT_MS }, () =>
    ui.step('reloaded', async (page) => {
      // The saved state shows the walkthrough (so the wait below watches the right thing) until its tab is closed
      // and VS Code has saved that; a reload before then would restore the tab the person closed.
      await waitFor(() => savedEditorsShow(page, categoryId), 'the saved editor layout to show the walkthrough');
      await ui.closeEditorTab(walkthroughTab(ui));
      await waitFor(async () => !(await savedEditorsShow(page, categoryId)), 'VS Code to save that the walkthrough was closed');
      await ui.reload();
      await bitbucketIcon(ui).waitFor({ timeout: 30_000 });
      await assertStaysClosed(ui);
      assert.equal(await ui.editorTabs().count(), 0, 'no editor opened by itself');
      assert.equal(installedFolders().length, 1, 'still installed');
    }),
  );

  it('does not open it in a new window either', { timeout: 3 * STEP_TIMEOUT_MS }, () =>
    ui.step('new-window-again', async () => {
      const second = await ui.openSecondTab();
      const { page } = second;
      await bitbucketIcon(second).waitFor({ timeout: 30_000 });
      await assertStaysClosed(second);
      await second.moveMouseAway();
      await ui.screenshotOf(page, 'tab2');
    }),
  );

  /** Polls `condition` every 250 ms for up to 30 s. */
  async function waitFor(condition: () => Promise<boolean>, what: string): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await ui.page.waitForTimeout(250);
    }
  }
});
