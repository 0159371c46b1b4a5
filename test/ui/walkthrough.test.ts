// The Get Started walkthrough as a new user meets it: "Bitbucket: Get Started" opens it, each step's button
// starts that step's flow, and each step ticks itself (signed in, a repository searched, the clone, open and
// create flows started); the ticks are kept across a reload.
//
// Opening once after the install (src/walkthrough/walkthrough.ts) happens only for an installed extension, not
// one loaded for development as here: install.test.ts installs a .vsix and covers it.
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Locator } from 'playwright-core';

import { DEMO } from '../sandbox/seed';
import { UiSession, exactly } from './session';

const STEP_TIMEOUT_MS = 60_000;
const TITLE = 'Get Started with Bitbucket';
const STEPS = ['signIn', 'findRepository', 'clone', 'openWithoutCloning', 'createRepository'] as const;
type StepId = (typeof STEPS)[number];

describe('The Get Started walkthrough', { timeout: 6 * 60_000 }, () => {
  let ui: UiSession;

  before(
    async () => {
      ui = await UiSession.open('walkthru', {
        settings: {
          // A selected step takes the focus once its 250 ms animation ends, which would close a quick pick its
          // button opened sooner: faster than a person clicks, not faster than this test does.
          'workbench.welcomePage.preferReducedMotion': true,
        },
      });
      // Open Bitbucket URL… first looks at the clipboard (in the browser, the browser's), as browseMore.test.ts.
      await ui.page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(ui.page.url()).origin });
    },
    { timeout: 4 * 60_000 },
  );

  after(async () => {
    await ui?.close();
  });

  /** The walkthrough's page in the editor area (its step list). */
  const page = () => ui.page.locator('.part.editor .gettingStartedSlideDetails');
  const heading = () => page().locator('h2.category-title', { hasText: TITLE });
  /** A step's row in the list; it carries `aria-checked` ("true" once the step is done). */
  const step = (id: StepId) => page().locator(`button.getting-started-step[data-step-id$="#${id}"]`);
  const ticked = async (id: StepId) => (await step(id).getAttribute('aria-checked')) === 'true';
  /** The check mark beside a step: the `pass-filled` icon with the class `complete` once done. */
  const checkMark = (id: StepId) => step(id).locator('.codicon[data-done-step-id]');

  /** Opens a step (a click on its title) and presses one of its buttons. */
  const pressStepButton = async (id: StepId, label: string) => {
    await step(id).locator('h3.step-title').click();
    await assertExpanded(step(id));
    await step(id)
      .locator('.step-description-container .monaco-button', { hasText: exactly(label) })
      .click();
  };
  const assertExpanded = (row: Locator) => row.and(ui.page.locator('[aria-expanded="true"]')).waitFor();

  // Workspaces show by slug until the tree has loaded their names.
  const pickDemoUser = async () => {
    await ui.waitForQuickInput('Choose a workspace');
    await ui
      .quickInputRows()
      .filter({ hasText: /Demo User|demo-user/ })
      .first()
      .click();
  };

  const waitForTick = async (id: StepId) => {
    await step(id).and(ui.page.locator('[aria-checked="true"]')).waitFor({ timeout: 20_000 });
    assert.match((await checkMark(id).getAttribute('class')) ?? '', /\bcomplete\b/, `${id}: the check mark shows`);
  };

  it('opens from "Bitbucket: Get Started", every step still to do', { timeout: 2 * STEP_TIMEOUT_MS }, () =>
    ui.step('opened', async () => {
      await ui.runCommand('Bitbucket: Get Started');
      await heading().waitFor({ timeout: 90_000 });
      for (const id of STEPS) {
        await step(id).waitFor();
        assert.equal(await ticked(id), false, `${id} is not done yet`);
      }
      assert.equal(await ui.editorTabs().count(), 1, 'only the walkthrough is open');
      assert.match((await ui.editorTabs().first().textContent()) ?? '', /^\s*Walkthrough: Bitbucket Repositories/);
    }),
  );

  it('says where to create a token and offers Sign In', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('sign-in-step', async () => {
      await step('signIn').locator('h3.step-title').click();
      await assertExpanded(step('signIn'));
      const description = step('signIn').locator('.step-description-container');
      await description.locator('.monaco-button', { hasText: exactly('Sign In') }).waitFor();
      await description.locator('.monaco-button', { hasText: exactly('Create an API Token') }).waitFor();
      assert.match((await description.textContent()) ?? '', /HTTP access token/);
    }),
  );

  it('signs in from the step, and the step ticks', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('signed-in', async () => {
      await pressStepButton('signIn', 'Sign In');
      await ui.answerSignInPrompts(DEMO.email, DEMO.apiToken);
      await ui.notification('Signed in to Bitbucket as').waitFor({ timeout: 30_000 });
      await waitForTick('signIn');
      for (const id of STEPS.slice(1)) assert.equal(await ticked(id), false, `${id} is not done yet`);
    }),
  );

  it('finds a repository from the step, and the step ticks', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('find', async (page) => {
      await pressStepButton('findRepository', 'Find Repository…');
      await pickDemoUser();
      await ui.waitForQuickInput(/^Find a repository in (Demo User|demo-user)$/);
      await page.keyboard.type('hello');
      await ui.quickInputRows().filter({ hasText: 'hello-world' }).first().waitFor({ timeout: 20_000 });
      await waitForTick('findRepository');
    }),
  );

  it('starts a clone from the step, and the step ticks', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('clone', async () => {
      await ui.closeQuickInput();
      await pressStepButton('clone', 'Clone Repository…');
      await pickDemoUser();
      await ui.waitForQuickInput(/^Clone a repository in (Demo User|demo-user)$/);
      await waitForTick('clone');
    }),
  );

  it('offers both ways to open without cloning, and the step ticks', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('open-without-cloning', async () => {
      await ui.closeQuickInput();
      await pressStepButton('openWithoutCloning', 'Open Bitbucket URL…');
      await ui.waitForQuickInput('Open Bitbucket URL');
      await waitForTick('openWithoutCloning');
      await ui.closeQuickInput();
      await step('openWithoutCloning')
        .locator('.step-description-container .monaco-button', { hasText: exactly('Open Without Cloning…') })
        .click();
      await ui.waitForQuickInput('Choose a workspace');
    }),
  );

  it('starts creating a repository from the step, and every step is done', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('create', async () => {
      await ui.closeQuickInput();
      await pressStepButton('createRepository', 'Create Repository…');
      await ui.waitForQuickInput('Create a Bitbucket repository: workspace');
      await waitForTick('createRepository');
      await ui.closeQuickInput();
      for (const id of STEPS) assert.equal(await ticked(id), true, `${id} is done`);
      await ui.moveMouseAway();
    }),
  );

  it('keeps the ticks across a reload', { timeout: 3 * STEP_TIMEOUT_MS }, () =>
    ui.step('reloaded', async () => {
      // VS Code's "open walkthrough" does nothing while another walkthrough is the active editor with a step
      // selected, so every tab is closed before the reload (which would restore them).
      await ui.closeAllEditorTabs();
      await heading().waitFor({ state: 'hidden' });
      await ui.reload();
      await ui.focusBitbucketView();
      await ui.treeItem('Acme Corporation').waitFor({ timeout: 30_000 });
      await ui.moveMouseAway();
      // The browser-based editor may bring back a tab of its own Welcome page from the state it saved.
      await ui.closeAllEditorTabs();
    }),
  );

  it('opens again from "Bitbucket: Get Started", with the steps still ticked', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('get-started-command', async () => {
      await ui.runCommand('Bitbucket: Get Started');
      await heading().waitFor({ timeout: 30_000 });
      for (const id of STEPS) {
        await step(id).waitFor();
        assert.equal(await ticked(id), true, `${id} is still done`);
      }
      await ui.moveMouseAway();
    }),
  );
});
