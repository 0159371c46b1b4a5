// Bitbucket Data Center in the real extension host, against the Data Center sandbox the launcher starts beside
// the Cloud one (under the context path /bitbucket): signing in with a server and each kind of token, each
// refusal's message, the projects in the tree, a clone with a personal token (Basic, through the askpass) and
// with a project token (Bearer), checked at the sandbox by which token each git request carried, and a
// repository opened without cloning.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fetch from 'node-fetch';
import * as vscode from 'vscode';
import { DATACENTER } from '../sandbox/datacenter/seed';
import type { RequestLogEntry } from '../sandbox/server';
import { sandboxUrl } from './sandbox-control';
import { children, errorShownBy, extensionApi, labelOf, signOut } from './extensionApi';

function serverUrl(): string {
  const url = process.env.BITBUCKET_DATACENTER_SANDBOX_URL;
  if (!url) throw new Error('BITBUCKET_DATACENTER_SANDBOX_URL is not set: run these tests through npm run test:integration.');
  return url;
}

async function control(method: 'GET' | 'DELETE', route: string): Promise<unknown> {
  const response = await fetch(`${serverUrl()}/_sandbox/${route}`, { method });
  const text = await response.text();
  assert.ok(response.ok, `Data Center sandbox control ${route}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

const requests = async () => (await control('GET', 'requests')) as RequestLogEntry[];
const clearRequests = () => control('DELETE', 'requests');

const signIn = (token: string, server = serverUrl()) =>
  vscode.commands.executeCommand('bitbucket.signIn', { kind: 'dataCenterToken', serverUrl: server, token });

describe('Bitbucket Data Center', () => {
  let scratch: string;
  /** A PLAT repository the project token reaches, from the tree. */
  let platSlug: string | undefined;

  before(async () => {
    await signOut();
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bitbucket-it-datacenter-'));
  });

  after(async () => {
    await signOut();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('refuses what is not a Data Center server, and a token it does not take, keeping nothing', async () => {
    const api = await extensionApi();
    const notDataCenter = await errorShownBy(api, () => signIn(DATACENTER.tokens.personal.token, sandboxUrl()));
    assert.match(notDataCenter ?? '', /not a Bitbucket Data Center server/);
    const expired = await errorShownBy(api, () => signIn(DATACENTER.tokens.expired.token));
    assert.match(expired ?? '', /token/i);
    assert.deepEqual(api.accounts(), [], 'no account was kept');
  });

  it('signs in with a personal token and shows the projects it reaches, its personal project too', async () => {
    const api = await extensionApi();
    await signIn(DATACENTER.tokens.personal.token);
    const [account] = api.accounts();
    assert.equal(account?.kind, 'dataCenterToken');
    assert.match(account?.label ?? '', /DC User/);
    const roots = await children(api);
    const labels = roots.map((node) => labelOf(api, node));
    assert.ok(
      labels.some((label) => /PLAT|Platform/.test(label)),
      `PLAT is listed: ${labels.join(', ')}`,
    );
    assert.ok(
      labels.some((label) => /~DC-USER|DC User/.test(label)),
      `the personal project is listed: ${labels.join(', ')}`,
    );
    assert.ok(!labels.some((label) => /SECRET/.test(label)), 'a project the user cannot see is not');
    const platform = roots.find((node) => /PLAT|Platform/.test(labelOf(api, node)));
    assert.equal(
      ((platform && api.tree.getTreeItem(platform).iconPath) as vscode.ThemeIcon | undefined)?.id,
      'project',
      'drawn as a project',
    );
    await clearRequests();
    const repositories = await children(api, platform);
    assert.ok(repositories.length > 10, `PLAT's first page: ${repositories.length} rows`);
    assert.ok(/Load more/.test(labelOf(api, repositories[repositories.length - 1])), 'a Load more row ends the first page');
    const listed = (await requests()).filter((entry) => !entry.git && entry.path.endsWith('/projects/PLAT/repos'));
    assert.equal(listed.length, 1, 'the first page is one request');
  });

  it('clones a private repository with a personal token through the askpass, and keeps the token out of .git/config', async function () {
    this.timeout(60_000);
    const { projectKey, slug } = DATACENTER.privateRepository;
    await clearRequests();
    const folder = await vscode.commands.executeCommand<string>('bitbucket.clone', {
      repository: { container: projectKey, slug },
      parentDirectory: scratch,
      afterClone: 'none',
    });
    assert.ok(fs.existsSync(path.join(folder, 'README.md')), 'checked out');
    // git asks without a credential first; the 401's challenge is what makes it ask the askpass.
    const git = (await requests()).filter((entry) => entry.git && entry.credential);
    assert.ok(git.length > 0, 'git authenticated');
    assert.deepEqual([...new Set(git.map((entry) => entry.credential))], [DATACENTER.tokens.personal.name]);
    assert.ok(!fs.readFileSync(path.join(folder, '.git', 'config'), 'utf8').includes(DATACENTER.tokens.personal.token));
  });

  it('creates a repository in a project, and a second of the same name is refused with the reason', async () => {
    const api = await extensionApi();
    const name = `Made In VS Code ${Date.now()}`;
    const created = await vscode.commands.executeCommand<{ fullName: string; slug: string }>('bitbucket.createRepository', {
      workspace: DATACENTER.bigProject.key,
      name,
      isPrivate: true,
    });
    assert.equal(created?.fullName, `${DATACENTER.bigProject.key}/${created?.slug}`);
    assert.match(created?.slug ?? '', /^made-in-vs-code-\d+$/);
    // Opened without cloning, a repository with no commit says so rather than "not found".
    const opened = vscode.Uri.parse(
      await vscode.commands.executeCommand<string>('bitbucket.openWithoutCloning', {
        repository: { container: DATACENTER.bigProject.key, slug: created?.slug },
        how: 'none',
      }),
    );
    await assert.rejects(Promise.resolve(vscode.workspace.fs.readDirectory(opened)), (error: unknown) => {
      assert.ok(error instanceof vscode.FileSystemError, String(error));
      assert.match(error.message, /is empty: it has no commit yet/);
      return true;
    });
    const again = await errorShownBy(api, () =>
      vscode.commands.executeCommand('bitbucket.createRepository', { workspace: DATACENTER.bigProject.key, name, isPrivate: true }),
    );
    assert.match(again ?? '', /already/i);
  });

  it('clones with a project token, which Data Center takes only as Bearer', async function () {
    this.timeout(60_000);
    await signOut();
    await signIn(DATACENTER.tokens.project.token);
    const api = await extensionApi();
    assert.equal(api.accounts()[0]?.kind, 'dataCenterToken');
    const [project] = await children(api);
    // A seeded repository (with commits), not the empty one the create test made.
    const slug = (await children(api, project))
      .map((node) => (node as unknown as { repository?: { slug: string } }).repository?.slug)
      .find((candidate) => candidate && !candidate.startsWith('made-in-vs-code'));
    assert.ok(slug, `a repository row under ${labelOf(api, project)}`);
    platSlug = slug;
    await clearRequests();
    const folder = await vscode.commands.executeCommand<string>('bitbucket.clone', {
      repository: { container: DATACENTER.bigProject.key, slug },
      parentDirectory: scratch,
      afterClone: 'none',
    });
    assert.ok(fs.existsSync(path.join(folder, '.git')));
    const git = (await requests()).filter((entry) => entry.git);
    assert.deepEqual([...new Set(git.map((entry) => entry.credential))], [DATACENTER.tokens.project.name]);
    assert.doesNotMatch(fs.readFileSync(path.join(folder, '.git', 'config'), 'utf8'), /Bearer|extraHeader/i);
  });

  it('opens a repository without cloning and reads its README through the browse API', async () => {
    assert.ok(platSlug, 'the clone test found a repository');
    await clearRequests();
    const opened = vscode.Uri.parse(
      await vscode.commands.executeCommand<string>('bitbucket.openWithoutCloning', {
        repository: { container: DATACENTER.bigProject.key, slug: platSlug },
        how: 'none',
      }),
    );
    assert.equal(opened.scheme, 'bitbucket');
    const names = (await vscode.workspace.fs.readDirectory(opened)).map(([name]) => name);
    assert.ok(names.includes('README.md'), `the root lists README.md: ${names.join(', ')}`);
    const readme = Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(opened, 'README.md'))).toString();
    assert.ok(readme.length > 0);
    const paths = (await requests()).filter((entry) => !entry.git).map((entry) => entry.path);
    assert.ok(
      paths.some((entry) => entry.includes(`/repos/${platSlug}/raw/`) || entry.includes(`/repos/${platSlug}/browse`)),
      paths.join(', '),
    );
    assert.ok((await requests()).every((entry) => entry.credential === DATACENTER.tokens.project.name || !entry.credential));
  });
});
