// Secrets stay secret: after signing in, listing, cloning and signing out, no token is in any setting,
// any global or workspace state, the log, or any file under the editor's data folders. (In code-server the
// secret store itself lives in the browser, so no file may hold the token at all.)
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DEMO } from '../sandbox/seed';
import { reset } from './sandbox-control';
import { children, extensionApi, signInWithApiToken, signOut } from './extensionApi';

/** Files under `root` whose bytes contain `needle`; unreadable files are skipped. */
function filesContaining(root: string, needle: string): string[] {
  const hits: string[] = [];
  const bytes = Buffer.from(needle);
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) {
        try {
          if (fs.readFileSync(full).includes(bytes)) hits.push(full);
        } catch {
          // sockets, files removed while walking
        }
      }
    }
  };
  if (fs.existsSync(root)) walk(root);
  return hits;
}

describe('Secrets stay secret', () => {
  it('no token in settings, state, logs or files after sign-in, listing, clone and sign-out', async function () {
    this.timeout(60_000);
    await reset();
    const api = await extensionApi();
    await signInWithApiToken();
    const roots = await children(api);
    const acme = roots.find((node) => (node as unknown as { slug: string }).slug === DEMO.largeWorkspace)!;
    const items = await children(api, acme);
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'bitbucket-it-secrets-'));
    const repository = (items[0] as unknown as { repository: unknown }).repository;
    const folder = await vscode.commands.executeCommand<string>('bitbucket.clone', {
      repository,
      parentDirectory: parent,
      afterClone: 'none',
    });
    assert.ok(folder, 'the clone ran');

    // Settings, every scope.
    const settings = JSON.stringify(vscode.workspace.getConfiguration());
    assert.ok(!settings.includes(DEMO.apiToken), 'settings');

    await signOut();
    // Give the debounced state writes and the log a moment to reach disk.
    await new Promise((resolve) => setTimeout(resolve, 2_500));

    const roots_ = [process.env.BITBUCKET_USER_DATA_DIR, process.env.BITBUCKET_EXTENSIONS_DIR, os.tmpdir(), parent].filter(
      (dir): dir is string => Boolean(dir),
    );
    assert.ok(process.env.BITBUCKET_USER_DATA_DIR, 'the launcher names the user-data-dir');
    for (const root of roots_) {
      assert.deepEqual(filesContaining(root, DEMO.apiToken), [], `token found under ${root}`);
      assert.deepEqual(
        filesContaining(root, Buffer.from(`${DEMO.email}:${DEMO.apiToken}`).toString('base64')),
        [],
        `Basic header under ${root}`,
      );
    }
    fs.rmSync(parent, { recursive: true, force: true });
  });
});
