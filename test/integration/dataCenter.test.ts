// Bitbucket Data Center in the real extension host, against the Data Center sandbox the launcher starts beside
// the Cloud one (under the context path /bitbucket): signing in with a server and each kind of token, each
// refusal's message, the projects in the tree and Load more, a clone with a personal token (Basic, through the
// askpass) and with a project token (Bearer), checked at the sandbox by which token each git request carried,
// "Git: Clone"'s branches, a publish, file links, VS Code's own git with a project token, and a repository
// opened without cloning.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fetch from 'node-fetch';
import * as vscode from 'vscode';
import { DATACENTER } from '../sandbox/datacenter/seed';
import type { RequestLogEntry } from '../sandbox/server';
import type { GitExtension, GitRemoteSourceProvider, GitRepository } from '../../src/git/gitApi';
import type { HostedRepository } from '../../src/host/types';
import type { TreeNode } from '../../src/tree/nodes';
import { sandboxUrl } from './sandbox-control';
import {
  allowGitOutsideWorkspace,
  children,
  errorShownBy,
  eventually,
  extensionApi,
  labelOf,
  signInWithApiToken,
  signOut,
} from './extensionApi';

function serverUrl(): string {
  const url = process.env.BITBUCKET_DATACENTER_SANDBOX_URL;
  if (!url) throw new Error('BITBUCKET_DATACENTER_SANDBOX_URL is not set: run these tests through npm run test:integration.');
  return url;
}

async function control(method: 'GET' | 'DELETE' | 'POST', route: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${serverUrl()}/_sandbox/${route}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  assert.ok(response.ok, `Data Center sandbox control ${route}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

const requests = async () => (await control('GET', 'requests')) as RequestLogEntry[];
const clearRequests = () => control('DELETE', 'requests');

const signIn = (token: string, server = serverUrl()) =>
  vscode.commands.executeCommand('bitbucket.signIn', { kind: 'dataCenterToken', serverUrl: server, token });

/** GETs a REST path of the Data Center sandbox with a token as Bearer, as a plain script would. */
async function restAs<T>(token: string, route: string): Promise<T> {
  const response = await fetch(`${serverUrl()}/rest/api/1.0/${route}`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(response.status, 200, `GET ${route}`);
  return (await response.json()) as T;
}

async function gitApi() {
  const extension = vscode.extensions.getExtension<GitExtension>('vscode.git');
  assert.ok(extension, 'VS Code has its git extension');
  return (extension.isActive ? extension.exports : await extension.activate()).getAPI(1);
}

/**
 * The Bitbucket remote source provider as git-base keeps it, the one "Git: Clone" asks. git-base's exports
 * have no API to list providers; its `model` (public at run time) holds them.
 */
async function bitbucketRemoteSources(): Promise<GitRemoteSourceProvider> {
  const extension = vscode.extensions.getExtension<{ model?: { getRemoteProviders(): GitRemoteSourceProvider[] } }>('vscode.git-base');
  assert.ok(extension, 'VS Code has its git-base extension');
  const exports = extension.isActive ? extension.exports : await extension.activate();
  const provider = exports.model?.getRemoteProviders().find((candidate) => candidate.name === 'Bitbucket');
  assert.ok(provider, 'the extension registered its remote source provider');
  return provider;
}

const git = (folder: string, ...args: string[]) => execFileSync('git', ['-C', folder, ...args], { encoding: 'utf8' }).trim();

const contextOf = (api: Awaited<ReturnType<typeof extensionApi>>, node: TreeNode | undefined) =>
  node && api.tree.getTreeItem(node).contextValue;

/**
 * Runs a fetch of VS Code's git whose credential prompts go unanswered: VS Code asks the credentials providers
 * and, when none answers, shows an input box for the user name, then one for the password. Those are closed
 * (answering nothing) until git gives up.
 */
async function fetchUnanswered(repository: GitRepository): Promise<unknown> {
  let settled = false;
  const outcome = repository.fetch().then(
    () => undefined,
    (error: unknown) => error ?? new Error('rejected'),
  );
  void outcome.finally(() => (settled = true));
  while (!settled) {
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return outcome;
}

describe('Bitbucket Data Center', () => {
  let scratch: string;
  /** A PLAT repository the project token reaches, from the tree. */
  let platSlug: string | undefined;
  /** Its clone, made with the project token. */
  let projectClone: string | undefined;

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

  it('Load more asks for the next page at the start the server gave, with the page size of the setting', async function () {
    this.timeout(60_000);
    const api = await extensionApi();
    const settings = vscode.workspace.getConfiguration('bitbucket');
    await settings.update('pageSize', 30, vscode.ConfigurationTarget.Global);
    try {
      await clearRequests();
      await vscode.commands.executeCommand('bitbucket.refresh');
      const platform = (await children(api)).find((node) => /PLAT|Platform/.test(labelOf(api, node)));
      assert.ok(platform, 'PLAT is listed');
      const listings = async () => (await requests()).filter((entry) => !entry.git && entry.path.endsWith('/projects/PLAT/repos'));
      const repositoryRows = async () => (await children(api, platform)).filter((node) => contextOf(api, node) === 'repository');
      // The page cached from before shows at once; the listing is asked for again behind it, with the new size.
      await eventually('PLAT shows a first page of 30', async () => (await repositoryRows()).length === 30, 30_000);
      const first = await children(api, platform);
      assert.equal(contextOf(api, first.at(-1)), 'loadMore');
      const asked = (await listings()).filter((entry) => entry.status === 200);
      assert.ok(asked.length > 0, 'the first page was asked for');
      assert.ok(
        asked.every((entry) => entry.query.limit === '30' && entry.query.start === undefined),
        `the first page is as large as the setting says: ${JSON.stringify(asked.map((entry) => entry.query))}`,
      );
      // What the server says of that page, asked as a script would.
      const page = await restAs<{ nextPageStart?: number; isLastPage: boolean }>(
        DATACENTER.tokens.personal.token,
        `projects/${DATACENTER.bigProject.key}/repos?limit=30`,
      );
      assert.equal(page.isLastPage, false);
      assert.equal(typeof page.nextPageStart, 'number');
      await clearRequests();
      await vscode.commands.executeCommand('bitbucket.loadMore', platform);
      const second = await listings();
      assert.equal(second.length, 1, 'Load more is one request');
      assert.equal(second[0].query.start, String(page.nextPageStart), 'at the nextPageStart the server gave');
      assert.equal(second[0].query.limit, '30');
      const after = await children(api, platform);
      assert.equal(after.filter((node) => contextOf(api, node) === 'repository').length, 60);
      assert.deepEqual(after.slice(0, 30), first.slice(0, 30), 'the first page stays');
      assert.equal(second[0].credential, DATACENTER.tokens.personal.name);
    } finally {
      await settings.update('pageSize', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('"Git: Clone" lists a repository\'s branches, main first, for its https and its ssh URL', async () => {
    const provider = await bitbucketRemoteSources();
    const { projectKey, slug } = DATACENTER.tokenRepository;
    const sources = (await provider.getRemoteSources(slug)) ?? [];
    const source = sources.find((candidate) => candidate.name.endsWith(`${projectKey}/${slug}`));
    assert.ok(source, `${projectKey}/${slug} is offered: ${sources.map((candidate) => candidate.name).join(', ')}`);
    const urls = Array.isArray(source.url) ? source.url : [source.url];
    const https = urls.find((url) => url.startsWith(serverUrl()));
    const ssh = urls.find((url) => url.startsWith('ssh://'));
    assert.equal(https, `${serverUrl()}/scm/${projectKey.toLowerCase()}/${slug}.git`);
    assert.ok(ssh, `an ssh URL among ${urls.join(', ')}`);
    assert.ok(provider.getBranches, 'the provider lists branches');
    for (const url of [https, ssh, `git@${new URL(serverUrl()).hostname}:${projectKey.toLowerCase()}/${slug}.git`]) {
      await clearRequests();
      assert.deepEqual(await provider.getBranches(url), ['main', 'develop'], url);
      const asked = (await requests()).filter((entry) => entry.path.includes(`/repos/${slug}/`));
      assert.ok(
        asked.some((entry) => entry.path.endsWith('/branches')),
        `the branches were asked for: ${asked.map((entry) => entry.path).join(', ')}`,
      );
      assert.deepEqual([...new Set(asked.map((entry) => entry.credential))], [DATACENTER.tokens.personal.name]);
    }
  });

  it('publishes a folder to a new repository in a project, pushing with the personal token', async function () {
    this.timeout(60_000);
    const folder = fs.mkdtempSync(path.join(scratch, 'publish-'));
    git(folder, 'init', '-q', '-b', 'main');
    fs.writeFileSync(path.join(folder, 'hello.txt'), 'hello from the Data Center integration test\n');
    git(folder, 'add', '.');
    git(folder, '-c', 'user.name=Test', '-c', 'user.email=test@example.com', 'commit', '-q', '-m', 'First commit');
    const head = git(folder, 'rev-parse', 'HEAD');
    await clearRequests();
    const name = `Published ${Date.now()}`;
    const created = await allowGitOutsideWorkspace(() =>
      vscode.commands.executeCommand<HostedRepository | undefined>('bitbucket.createRepository', {
        workspace: DATACENTER.bigProject.key,
        name,
        isPrivate: true,
        pushFolder: folder,
      }),
    );
    assert.equal(created?.container, DATACENTER.bigProject.key);
    const remote = git(folder, 'remote', 'get-url', 'origin');
    assert.equal(
      remote,
      `${serverUrl()}/scm/${DATACENTER.bigProject.key.toLowerCase()}/${created?.slug}.git`,
      'no user name in the remote',
    );
    const pushes = (await requests()).filter((entry) => entry.git && entry.path.endsWith('/git-receive-pack'));
    assert.ok(
      pushes.some((entry) => entry.status === 200),
      `a push reached the sandbox: ${pushes.map((entry) => entry.status).join(', ')}`,
    );
    const authenticated = (await requests()).filter((entry) => entry.git && entry.credential);
    assert.deepEqual([...new Set(authenticated.map((entry) => entry.credential))], [DATACENTER.tokens.personal.name]);
    assert.ok(
      authenticated.every((entry) => entry.auth === 'basic'),
      'as Basic, through VS Code git and the credentials provider',
    );
    assert.ok(!fs.readFileSync(path.join(folder, '.git', 'config'), 'utf8').includes(DATACENTER.tokens.personal.token));
    const branches = await restAs<{ values: { displayId: string; latestCommit: string }[] }>(
      DATACENTER.tokens.personal.token,
      `projects/${DATACENTER.bigProject.key}/repos/${created?.slug}/branches`,
    );
    assert.equal(branches.values.find((branch) => branch.displayId === 'main')?.latestCommit, head, 'the server has the commit');
  });

  it('links a file of a clone to its page in the project, at HEAD, with the selected lines', async function () {
    this.timeout(60_000);
    const { projectKey, slug } = DATACENTER.tokenRepository;
    const folder = await vscode.commands.executeCommand<string>('bitbucket.clone', {
      repository: { container: projectKey, slug },
      parentDirectory: scratch,
      afterClone: 'none',
    });
    const head = git(folder, 'rev-parse', 'HEAD');
    const page = `${serverUrl()}/projects/${projectKey}/repos/${slug}/browse/README.md?at=${head}`;
    await allowGitOutsideWorkspace(async () => {
      assert.ok(await (await gitApi()).openRepository(vscode.Uri.file(folder)), 'VS Code git opened the clone');
      const editor = await vscode.window.showTextDocument(vscode.Uri.file(path.join(folder, 'README.md')));
      try {
        editor.selection = new vscode.Selection(1, 0, 3, 2);
        assert.equal(await vscode.commands.executeCommand<string>('bitbucket.copyFileLink'), `${page}#2-4`);
        assert.equal(await vscode.env.clipboard.readText(), `${page}#2-4`);
        editor.selection = new vscode.Selection(2, 1, 2, 4);
        assert.equal(await vscode.commands.executeCommand<string>('bitbucket.openFileOnBitbucket'), `${page}#3`);
        editor.selection = new vscode.Selection(0, 0, 0, 0);
        assert.equal(await vscode.commands.executeCommand<string>('bitbucket.copyFileLink'), page);
      } finally {
        await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      }
    });
    const opened = await fetch(`${page}#2-4`);
    assert.equal(opened.status, 200, 'the sandbox serves the page');
  });

  it('clones with a project token, which Data Center takes only as Bearer', async function () {
    this.timeout(60_000);
    await signOut();
    await signIn(DATACENTER.tokens.project.token);
    const api = await extensionApi();
    assert.equal(api.accounts()[0]?.kind, 'dataCenterToken');
    const [project] = await children(api);
    // A seeded repository (with commits), not one the create and publish tests made.
    const slug = (await children(api, project))
      .map((node) => (node as unknown as { repository?: { slug: string } }).repository?.slug)
      .find((candidate) => candidate && /^service-\d{4}-/.test(candidate));
    assert.ok(slug, `a repository row under ${labelOf(api, project)}`);
    platSlug = slug;
    await clearRequests();
    const folder = await vscode.commands.executeCommand<string>('bitbucket.clone', {
      repository: { container: DATACENTER.bigProject.key, slug },
      parentDirectory: scratch,
      afterClone: 'none',
    });
    assert.ok(fs.existsSync(path.join(folder, '.git')));
    projectClone = folder;
    const git = (await requests()).filter((entry) => entry.git);
    assert.deepEqual([...new Set(git.map((entry) => entry.credential))], [DATACENTER.tokens.project.name]);
    assert.doesNotMatch(fs.readFileSync(path.join(folder, '.git', 'config'), 'utf8'), /Bearer|extraHeader/i);
  });

  it("VS Code's own fetch with a project token: git is answered nothing, and the person is warned once", async function () {
    this.timeout(90_000);
    assert.ok(projectClone, 'the clone test made a clone');
    const folder = projectClone;
    // The warning is shown through the extension's own vscode.window, which this test shares: seen on its way.
    const window = vscode.window as unknown as { showWarningMessage: (message: string, ...rest: unknown[]) => Thenable<unknown> };
    const show = window.showWarningMessage;
    const warnings: string[] = [];
    window.showWarningMessage = (message, ...rest) => {
      warnings.push(message);
      return show.call(vscode.window, message, ...rest);
    };
    try {
      await allowGitOutsideWorkspace(async () => {
        const repository = await (await gitApi()).openRepository(vscode.Uri.file(folder));
        assert.ok(repository, 'VS Code git opened the clone');
        await clearRequests();
        for (const attempt of ['first', 'second']) {
          assert.ok(await fetchUnanswered(repository), `the ${attempt} fetch failed: git had no credential`);
        }
      });
    } finally {
      window.showWarningMessage = show;
    }
    const told = warnings.filter((message) => /project or repository token/.test(message));
    assert.equal(told.length, 1, `warned once, not at each fetch: ${JSON.stringify(warnings)}`);
    assert.match(told[0], /only as a Bearer header/);
    assert.match(told[0], /a personal HTTP access token \(Bitbucket: Add Account…\)/, 'the command as the palette shows it');
    assert.ok(!told[0].includes(DATACENTER.tokens.project.token), 'the warning holds no secret');
    const git = (await requests()).filter((entry) => entry.git);
    assert.ok(
      git.some((entry) => entry.status === 401),
      `git was challenged: ${git.map((entry) => `${entry.status} ${entry.path}`).join(', ')}`,
    );
    assert.ok(
      git.every((entry) => entry.credential === undefined),
      `no git request carried the token: ${JSON.stringify(git.map((entry) => entry.credential))}`,
    );
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

  it('a Cloud account and a Data Center server side by side: one tree, one search, and a refused token troubles only its own', async () => {
    const api = await extensionApi();
    await signOut();
    await signInWithApiToken();
    await signIn(DATACENTER.tokens.personal.token);
    const roots = await children(api);
    assert.deepEqual(
      roots.map((node) => contextOf(api, node)),
      ['account', 'account'],
      'two account rows',
    );
    const [cloudRow, dataCenterRow] = roots;
    assert.match(labelOf(api, cloudRow), /Demo User/);
    assert.match(labelOf(api, dataCenterRow), /DC User/);
    const cloudContainers = (await children(api, cloudRow)).map((node) => labelOf(api, node));
    const projects = (await children(api, dataCenterRow)).map((node) => labelOf(api, node));
    // A workspace row shows its slug until its display name has been fetched.
    const isAcme = (label: string) => label === 'acme' || label === 'Acme Corporation';
    assert.ok(cloudContainers.some(isAcme), `Cloud workspaces: ${cloudContainers.join(', ')}`);
    assert.ok(projects.includes('Platform'), `Data Center projects: ${projects.join(', ')}`);
    assert.ok(!projects.some(isAcme) && !cloudContainers.includes('Platform'), 'each account lists its own');

    // "Git: Clone" searches both, each on its own server; both have a "dotfiles".
    await clearRequests();
    const found = (await (await bitbucketRemoteSources()).getRemoteSources('dotfiles')) ?? [];
    const urls = found.flatMap((source) => (Array.isArray(source.url) ? source.url : [source.url]));
    assert.ok(
      urls.some((url) => url.startsWith(`${serverUrl()}/scm/`)),
      `a Data Center result: ${urls.join(', ')}`,
    );
    assert.ok(
      urls.some((url) => url.startsWith(sandboxUrl())),
      `a Cloud result: ${urls.join(', ')}`,
    );
    const searched = (await requests()).filter((entry) => !entry.git && entry.path.endsWith('/repos'));
    assert.ok(searched.length > 0, 'the Data Center server was searched');
    assert.ok(
      searched.every((entry) => entry.credential === DATACENTER.tokens.personal.name),
      'with its own token',
    );

    // The server refuses its token: its row says to sign in again; Cloud's stays as it was.
    await control('POST', 'revoke', { token: DATACENTER.tokens.personal.token });
    try {
      await vscode.commands.executeCommand('bitbucket.refresh');
      // The view is not on screen here: reading the tree is what makes it ask the servers again.
      await eventually('the Data Center account is refused', async () => {
        for (const row of await children(api)) await children(api, row);
        return api.accounts().some((account) => account.kind === 'dataCenterToken' && account.state === 'expired');
      });
      const states = api.accounts().map((account) => `${account.kind}:${account.state}`);
      assert.ok(states.includes('apiToken:signedIn'), `Cloud stays signed in: ${states.join(', ')}`);
      const [cloudAgain, dataCenterAgain] = await children(api);
      assert.equal(contextOf(api, dataCenterAgain), 'account.expired');
      assert.equal(contextOf(api, cloudAgain), 'account');
      assert.ok(
        (await children(api, cloudAgain)).some((node) => isAcme(labelOf(api, node))),
        'Cloud still lists its workspaces',
      );
    } finally {
      await control('POST', 'reset');
    }
  });
});
