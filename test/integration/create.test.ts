// Create in the real extension host against the sandbox: private and public, a chosen and the default
// project, names refused before any request, a duplicate, a missing scope, and a folder pushed to it.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Repository } from '../../src/bitbucket/schemas';
import type { HostedRepository } from '../../src/host/types';
import { DEMO } from '../sandbox/seed';
import { clearRequests, getAsDemoUser, getRequests, reset } from './sandbox-control';
import { allowGitOutsideWorkspace, children, errorShownBy, extensionApi, signInWithApiToken, signOut } from './extensionApi';

function fetchRepository(workspace: string, slug: string): Promise<Repository & { project?: { key: string } }> {
  return getAsDemoUser(`repositories/${workspace}/${slug}`);
}

async function projectKeys(workspace: string): Promise<Array<{ key: string; created_on: string }>> {
  return (await getAsDemoUser<{ values: Array<{ key: string; created_on: string }> }>(`workspaces/${workspace}/projects?pagelen=100`))
    .values;
}

function create(request: Record<string, unknown>) {
  return vscode.commands.executeCommand<HostedRepository | undefined>('bitbucket.createRepository', request);
}

describe('Create repository', () => {
  beforeEach(async () => {
    await reset();
    await signOut();
    await signInWithApiToken();
  });
  after(() => signOut());

  it('creates a private repository in the default project and shows it first in the tree', async () => {
    const api = await extensionApi();
    const acme = (await children(api)).find((node) => (node as unknown as { slug: string }).slug === 'acme')!;
    await children(api, acme);
    const created = await create({ workspace: 'acme', name: 'Payments API', isPrivate: true });
    assert.equal(created?.slug, 'payments-api');
    const stored = await fetchRepository('acme', 'payments-api');
    assert.equal(stored.is_private, true);
    const oldest = (await projectKeys('acme')).sort((a, b) => a.created_on.localeCompare(b.created_on))[0];
    assert.equal(stored.project?.key, oldest.key);
    const first = (await children(api, acme))[0];
    assert.equal(api.tree.getTreeItem(first).label, 'Payments API');
  });

  it('creates a public repository in a chosen project', async () => {
    const [, second] = await projectKeys('acme');
    const created = await create({ workspace: 'acme', name: 'open-docs', isPrivate: false, projectKey: second.key, description: 'Docs' });
    assert.equal(created?.isPrivate, false);
    const stored = await fetchRepository('acme', 'open-docs');
    assert.equal(stored.project?.key, second.key);
  });

  it('refuses a name that cannot become a slug, without any request', async () => {
    const api = await extensionApi();
    await clearRequests();
    const message = await errorShownBy(api, () => create({ workspace: 'acme', name: '***', isPrivate: true }));
    assert.match(message ?? '', /at least one letter or digit/);
    assert.equal((await getRequests()).filter((entry) => entry.method === 'POST').length, 0);
  });

  it('reports a duplicate with the field error from the server', async () => {
    const api = await extensionApi();
    const message = await errorShownBy(api, () =>
      create({ workspace: DEMO.privateRepository.workspace, name: DEMO.privateRepository.slug, isPrivate: true }),
    );
    assert.match(message ?? '', /already exists/);
  });

  it('names the missing scope when the token cannot create', async () => {
    const api = await extensionApi();
    await signInWithApiToken(DEMO.readOnlyApiToken);
    const message = await errorShownBy(api, () => create({ workspace: 'acme', name: 'not-allowed', isPrivate: true }));
    assert.match(message ?? '', /admin:repository:bitbucket/);
  });

  it('pushes a local folder with commits to the new repository, which the sandbox then has', async function () {
    this.timeout(60_000);
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bitbucket-it-publish-'));
    const run = (...args: string[]) => execFileSync('git', args, { cwd: folder, encoding: 'utf8' }).trim();
    run('init', '-q', '-b', 'main');
    fs.writeFileSync(path.join(folder, 'hello.txt'), 'hello from the integration test\n');
    run('add', '.');
    run('-c', 'user.name=Test', '-c', 'user.email=test@example.com', 'commit', '-q', '-m', 'First commit');
    const head = run('rev-parse', 'HEAD');
    try {
      const created = await allowGitOutsideWorkspace(() =>
        create({ workspace: 'acme', name: 'published-folder', isPrivate: true, pushFolder: folder }),
      );
      assert.equal(created?.slug, 'published-folder');
      const remote = run('remote', 'get-url', 'origin');
      assert.ok(!remote.includes('@'), remote);
      assert.ok(!fs.readFileSync(path.join(folder, '.git', 'config'), 'utf8').includes(DEMO.apiToken));
      // The sandbox's git has the commit: ask it with an anonymous-free, token-free ls-remote through git's
      // own askpass-less path is not possible for a private repository, so read the pushed ref via the API log.
      const pushes = (await getRequests()).filter((entry) => entry.git && entry.path.endsWith('/git-receive-pack') && entry.status === 200);
      assert.ok(pushes.length >= 1, 'a push reached the sandbox');
      // The new repository is clonable and holds the pushed commit.
      const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'bitbucket-it-published-clone-'));
      try {
        const clone = await vscode.commands.executeCommand<string>('bitbucket.clone', {
          repository: created,
          parentDirectory: parent,
          afterClone: 'none',
        });
        assert.equal(execFileSync('git', ['rev-parse', 'HEAD'], { cwd: clone, encoding: 'utf8' }).trim(), head);
        assert.equal(fs.readFileSync(path.join(clone, 'hello.txt'), 'utf8'), 'hello from the integration test\n');
      } finally {
        fs.rmSync(parent, { recursive: true, force: true });
      }
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  it('a push that fails after the create says the repository exists and why the push failed', async function () {
    this.timeout(60_000);
    const api = await extensionApi();
    // A folder without commits: git has nothing to push, a failure the sandbox cannot mask.
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bitbucket-it-push-fails-'));
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: folder });
    try {
      const message = await errorShownBy(api, () =>
        allowGitOutsideWorkspace(() => create({ workspace: 'acme', name: 'push-fails', isPrivate: true, pushFolder: folder })),
      );
      assert.match(message ?? '(no message)', /^acme\/push-fails was created on Bitbucket, but the push failed: .+/);
      assert.equal((await fetchRepository('acme', 'push-fails')).slug, 'push-fails', 'the repository is there');
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});
