// Source Control's "Publish Branch" on a folder with commits and no remote offers "Publish to Bitbucket",
// which runs the create flow (named after the folder), adds a remote without credentials and pushes.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { DEMO } from '../sandbox/seed';
import { UiSession } from './session';

const STEP_TIMEOUT_MS = 90_000;

describe('Publish a folder to Bitbucket from Source Control', { timeout: 6 * 60_000 }, () => {
  let ui: UiSession;
  let folder: string;
  let head: string;

  before(
    async () => {
      ui = await UiSession.open('publish');
      folder = ui.workbench.dirs.workspace;
      const git = (...args: string[]) => execFileSync('git', args, { cwd: folder, encoding: 'utf8' }).trim();
      git('init', '-q', '-b', 'main');
      fs.writeFileSync(path.join(folder, 'notes.md'), '# Notes\n');
      git('add', '.');
      git('-c', 'user.name=UI Test', '-c', 'user.email=ui@example.com', 'commit', '-q', '-m', 'First notes');
      head = git('rev-parse', 'HEAD');
      // VS Code's git finds the new repository when the window loads.
      await ui.page.reload();
      await ui.page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 60_000 });
    },
    { timeout: 4 * 60_000 },
  );

  after(async () => {
    await ui?.close();
  });

  it('offers Publish to Bitbucket for a branch with no remote', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('publishers', async () => {
      await ui.signInFromPalette(DEMO.email, DEMO.apiToken);
      await ui.runCommand('Git: Publish Branch...');
      await ui.quickInputRow('Publish to Bitbucket').waitFor({ timeout: 30_000 });
    }),
  );

  it('runs the create flow with the folder name filled in', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('name', async (page) => {
      await ui.quickInputRow('Publish to Bitbucket').click();
      await ui.waitForQuickInput(/workspace \(1\/6\)$/);
      await ui.quickInputItem('Acme Corporation').click();
      await ui.waitForQuickInput(/project \(2\/6\)$/);
      await ui.quickInputItem("The workspace's default project").click();
      await ui.waitForQuickInput('name (3/6)');
      assert.equal(await ui.quickInputField().inputValue(), path.basename(folder));
      await page.waitForTimeout(600);
      await ui.waitForQuickInputIdle();
    }),
  );

  it('creates the repository and pushes the branch to it', { timeout: STEP_TIMEOUT_MS }, () =>
    ui.step('pushed', async (page) => {
      await page.keyboard.press('Enter');
      await ui.quickInputItem('Private').click();
      await ui.waitForQuickInput('description (5/6)');
      await page.keyboard.press('Enter');
      await ui.waitForQuickInput('confirm (6/6)');
      const shown = await ui.recordNotifications();
      await page.keyboard.press('Enter');
      const slug = `acme/${path.basename(folder).toLowerCase()}`;
      await ui.waitForNotificationShown(shown, `Pushed to ${slug}.`);
      const remote = execFileSync('git', ['remote', 'get-url', 'origin'], { cwd: folder, encoding: 'utf8' }).trim();
      assert.ok(!remote.includes('@'), `no credentials in the remote URL: ${remote}`);
      assert.ok(!fs.readFileSync(path.join(folder, '.git', 'config'), 'utf8').includes(DEMO.apiToken));
      const pushes = ui.workbench.sandbox.requests.filter(
        (entry) => entry.git && entry.path.endsWith('/git-receive-pack') && entry.status === 200,
      );
      assert.equal(pushes.length >= 1, true, 'the push reached the sandbox');
      const refs = execFileSync('git', ['--git-dir', path.join(ui.workbench.sandbox.dataDir, `${slug}.git`), 'rev-parse', 'main'], {
        encoding: 'utf8',
      }).trim();
      assert.equal(refs, head, 'the sandbox repository has the commit');
    }),
  );
});
