// The extension as someone whose VS Code speaks another language sees it, with the pseudo-locale `qps-ploc`
// (accented letters, made by `npm run l10n`) standing in for a translation: every word the extension shows in the
// view, its welcome, the sign-in prompts, the notification and the tree rows comes from its bundles, and no English
// sentence of its own is left in the side bar. VS Code's own words stay English (no language pack here).
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { englishBundle, englishOf, pseudoBundle as pseudoMessages, pseudoManifest } from '../harness/l10nBundles';
import { DEMO } from '../sandbox/seed';
import { UiSession } from './session';

const STEP_TIMEOUT_MS = 60_000;

/** The pseudo-locale text of an English message of the code (with or without a comment), with its placeholders filled in. */
function pseudo(english: string, ...args: string[]): string {
  const key = english in pseudoMessages ? english : Object.keys(pseudoMessages).find((candidate) => candidate.startsWith(`${english}/`));
  const text = key === undefined ? undefined : pseudoMessages[key];
  assert.ok(text, `"${english}" is not in the bundle`);
  return text.replace(/\{(\d+)\}/g, (whole, index: string) => args[Number(index)] ?? whole);
}

/** The words of a markdown link to `command` in a manifest text, e.g. the welcome view's sign-in button. */
function linkText(markdown: string, command: string): string {
  const match = new RegExp(`\\[([^\\]]+)\\]\\(command:${command.replace(/\./g, '\\.')}\\)`).exec(markdown);
  assert.ok(match, `no link to ${command}`);
  return match[1];
}

describe('The extension in the pseudo-locale', { timeout: 5 * 60_000 }, () => {
  let ui: UiSession;

  before(
    async () => {
      ui = await UiSession.open('pseudo', { displayLanguage: 'qps-ploc' });
    },
    { timeout: 4 * 60_000 },
  );

  after(async () => {
    await ui?.close();
  });

  it('the activity bar, the view and its welcome read in the pseudo-locale', { timeout: 2 * STEP_TIMEOUT_MS }, () =>
    ui.step('welcome', async (page) => {
      const icon = ui.activityBarItem(pseudoManifest['viewsContainer.bitbucket.title']);
      await icon.waitFor({ timeout: 30_000 });
      await icon.click();
      await ui.sideBarPane(pseudoManifest['view.repositories.name']).waitFor();
      const welcome = pseudoManifest['viewsWelcome.signedOut'];
      await page.locator('.part.sidebar .welcome-view-content', { hasText: welcome.split('\n')[0] }).waitFor({ timeout: 30_000 });
      await ui.welcomeButton(linkText(welcome, 'bitbucket.signIn')).waitFor();
    }),
  );

  it('the sign-in prompts read in the pseudo-locale', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('sign-in-kind', async () => {
      await ui.welcomeButton(linkText(pseudoManifest['viewsWelcome.signedOut'], 'bitbucket.signIn')).click();
      await ui.waitForQuickInput(pseudo('Sign in to Bitbucket'));
      await ui.quickInputItem(pseudo('Access token')).waitFor();
      assert.match((await ui.quickInputItem(pseudo('API token')).textContent()) ?? '', new RegExp(pseudo('recommended')));
    }),
  );

  it('signing in says so in the pseudo-locale, and the tree’s rows read in it', { timeout: 2 * STEP_TIMEOUT_MS }, () =>
    ui.step('signed-in', async (page) => {
      await ui.quickInputItem(pseudo('API token')).click();
      await ui.waitForQuickInput(pseudo('Sign in to Bitbucket: Atlassian account email'));
      await ui.filterQuickInput(DEMO.email);
      await page.keyboard.press('Enter');
      await ui.waitForQuickInput(pseudo('Sign in to Bitbucket: API token'));
      await page.keyboard.type(DEMO.apiToken);
      await page.keyboard.press('Enter');
      await ui.notification(pseudo('Signed in to Bitbucket as {0}.', `${DEMO.displayName} (${DEMO.email})`)).waitFor({ timeout: 30_000 });
      const acme = ui.treeItem('Acme Corporation');
      await acme.waitFor({ timeout: 30_000 });
      await ui.widenSideBar();
      await acme.click();
      // A repository's row says when it changed, in the pseudo-locale too ("5 months ago").
      const firstRepository = ui.treeRows(2).first();
      await firstRepository.waitFor({ timeout: 30_000 });
      const description = (await firstRepository.locator('.label-description').textContent()) ?? '';
      assert.match(description, / · .*[áéíöüɱ]/, `"${description}" says when in the pseudo-locale`);
      // The last row, past the first page: Load more.
      await page.keyboard.press('End');
      await ui.treeItem(pseudo('Load more…')).waitFor({ timeout: 30_000 });
    }),
  );

  it('no English sentence of the extension is left in the side bar', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('no-english', async (page) => {
      const shown = await page.locator('.part.sidebar').innerText();
      const english = Object.keys(englishBundle)
        .map((key) => ({ key, text: englishOf(key) }))
        // Whole words of ours: the fixed part of each message, at least two words long.
        .flatMap(({ key, text }) => text.split(/\{[^{}]+\}/).map((part) => ({ key, part: part.trim() })))
        .filter(
          ({ key, part }) =>
            /[A-Za-z]{2,}\s+[A-Za-z]{2,}/.test(part) && pseudoMessages[key] !== undefined && !pseudoMessages[key].includes(part),
        );
      const left = english.filter(({ part }) => shown.includes(part)).map(({ part }) => part);
      assert.deepEqual(left, [], 'English sentences of the extension in the side bar');
      assert.ok(english.length > 300, `the check knows the extension's sentences: ${english.length}`);
    }),
  );

  it('the Get Started walkthrough and its page read in the pseudo-locale', { timeout: 2 * STEP_TIMEOUT_MS }, () =>
    ui.step('walkthrough', async (page) => {
      await ui.runCommand(`${pseudoManifest['command.category']}: ${pseudoManifest['command.openWalkthrough.title']}`);
      await page.locator('h2.category-title', { hasText: pseudoManifest['walkthrough.getStarted.title'] }).waitFor({ timeout: 60_000 });
      const signIn = page.locator('button.getting-started-step[data-step-id$="#signIn"]');
      await signIn.locator('h3.step-title', { hasText: pseudoManifest['walkthrough.getStarted.signIn.title'] }).waitFor();
      await signIn.locator('h3.step-title').click();
      // The step's page (media/walkthrough/signIn.qps-ploc.md, named by package.nls.qps-ploc.json), in its webview.
      const pageText = ui.webviewContent().locator('body');
      const heading = pageText.locator('h1');
      await heading.waitFor({ timeout: 30_000 });
      assert.equal((await heading.textContent())?.trim(), pseudo('Sign in to Bitbucket'));
      const text = (await pageText.innerText()).replace(/\s+/g, ' ');
      assert.match(text, /read:repository:bitbucket/, 'the scopes stay as they are typed');
      assert.doesNotMatch(text, /App passwords no longer work|Where the token goes/, 'no English sentence of the page is left');
      await ui.moveMouseAway();
    }),
  );
});
