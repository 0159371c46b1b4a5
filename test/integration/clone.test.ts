// Clone in the real extension host against the sandbox's real git server: the working tree arrives, no
// token lands in argv, URL or config, a taken folder is refused, a stale credential helper is harmless,
// and VS Code's own git fetches afterwards through our credentials provider.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Repository } from '../../src/bitbucket/schemas';
import type { RepositoryRef } from '../../src/host/types';
import type { GitExtension } from '../../src/git/gitApi';
import { DEMO } from '../sandbox/seed';
import { clearRequests, getAsDemoUser, getRequests, reset, revokeToken, sandboxApiUrl } from './sandbox-control';
import { allowGitOutsideWorkspace, errorShownBy, extensionApi, signInWithApiToken, signOut } from './extensionApi';

/** The repository as automation names it, once the sandbox has confirmed it is there. */
async function repository(workspace: string, slug: string): Promise<RepositoryRef> {
  const found = await getAsDemoUser<Repository>(`repositories/${workspace}/${slug}`);
  return { container: workspace, slug: found.slug };
}

describe('Clone', () => {
  let scratch: string;
  let argvLog: string;
  const savedEnv = { PATH: process.env.PATH, GIT_CONFIG_GLOBAL: process.env.GIT_CONFIG_GLOBAL };

  before(async () => {
    await reset();
    await signOut();
    await signInWithApiToken();
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bitbucket-it-clone-'));
    // A git first on PATH that writes down every command line it is given; the extension runs in this
    // process, so the git it starts finds the wrapper.
    const bin = path.join(scratch, 'bin');
    fs.mkdirSync(bin);
    argvLog = path.join(scratch, 'argv.log');
    const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    fs.writeFileSync(path.join(bin, 'git'), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${argvLog}'\nexec '${realGit}' "$@"\n`, { mode: 0o755 });
    process.env.PATH = `${bin}${path.delimiter}${process.env.PATH}`;
  });

  after(async () => {
    process.env.PATH = savedEnv.PATH;
    if (savedEnv.GIT_CONFIG_GLOBAL === undefined) delete process.env.GIT_CONFIG_GLOBAL;
    else process.env.GIT_CONFIG_GLOBAL = savedEnv.GIT_CONFIG_GLOBAL;
    await signOut();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('clones a private repository; no token in argv, the remote URL or .git/config', async () => {
    const target = await repository(DEMO.privateRepository.workspace, DEMO.privateRepository.slug);
    const parent = fs.mkdtempSync(path.join(scratch, 'clones-'));
    const folder = await vscode.commands.executeCommand<string>('bitbucket.clone', {
      repository: target,
      parentDirectory: parent,
      afterClone: 'none',
    });
    assert.equal(folder, path.join(parent, target.slug));
    assert.ok(fs.existsSync(path.join(folder, 'README.md')), 'the working tree arrived');
    const config = fs.readFileSync(path.join(folder, '.git', 'config'), 'utf8');
    assert.ok(!config.includes(DEMO.apiToken));
    const remote = execFileSync('git', ['remote', 'get-url', 'origin'], { cwd: folder, encoding: 'utf8' }).trim();
    assert.ok(!remote.includes('@'), remote);
    const argv = fs.readFileSync(argvLog, 'utf8');
    assert.match(argv, /clone --progress/);
    assert.ok(!argv.includes(DEMO.apiToken));
  });

  it('refuses a target that anything is at (a folder with files, an empty folder, a dangling symlink), before git runs', async () => {
    const target = await repository(DEMO.publicRepository.workspace, DEMO.publicRepository.slug);
    const api = await extensionApi();
    const occupy: Array<[string, (at: string) => void, (at: string) => void]> = [
      [
        'a folder with files',
        (at) => (fs.mkdirSync(at), fs.writeFileSync(path.join(at, 'mine.txt'), 'keep me')),
        (at) => assert.equal(fs.readFileSync(path.join(at, 'mine.txt'), 'utf8'), 'keep me'),
      ],
      ['an empty folder', (at) => fs.mkdirSync(at), (at) => assert.deepEqual(fs.readdirSync(at), [])],
      [
        'a dangling symlink',
        (at) => fs.symlinkSync(path.join(scratch, 'nowhere'), at),
        (at) => assert.equal(fs.readlinkSync(at), path.join(scratch, 'nowhere')),
      ],
    ];
    for (const [what, make, unchanged] of occupy) {
      const parent = fs.mkdtempSync(path.join(scratch, 'taken-'));
      const at = path.join(parent, target.slug);
      make(at);
      fs.rmSync(argvLog, { force: true });
      const message = await errorShownBy(api, () =>
        vscode.commands.executeCommand('bitbucket.clone', { repository: target, parentDirectory: parent, afterClone: 'none' }),
      );
      assert.match(message ?? '', /already exists\. Choose another name or folder/, what);
      assert.ok(!fs.existsSync(argvLog), `git never ran: ${what}`);
      unchanged(at);
    }
  });

  it('refuses a request that does not name a repository, before any request or git run', async () => {
    const api = await extensionApi();
    await clearRequests();
    fs.rmSync(argvLog, { force: true });
    for (const repository of [{ full_name: 'acme' }, { container: 'acme' }, { container: '..', slug: '..' }]) {
      const message = await errorShownBy(api, () =>
        vscode.commands.executeCommand('bitbucket.clone', { repository, parentDirectory: scratch, afterClone: 'none' }),
      );
      assert.match(message ?? '', /Name the repository|not a Bitbucket workspace or repository name/, JSON.stringify(repository));
    }
    assert.deepEqual(
      (await getRequests()).filter((entry) => entry.path.startsWith('/2.0/repositories')),
      [],
      'nothing was requested',
    );
    assert.ok(!fs.existsSync(argvLog), 'git never ran');
  });

  it('a stale credential helper entry does not break the clone, nor learn the token', async () => {
    const target = await repository(DEMO.privateRepository.workspace, DEMO.privateRepository.slug);
    const store = path.join(scratch, 'stale-credentials');
    const host = new URL(sandboxApiUrl()).host;
    fs.writeFileSync(store, `http://x-bitbucket-api-token-auth:ATATT3xStaleRevoked@${host.replace(':', '%3a')}\n`);
    const globalConfig = path.join(scratch, 'gitconfig');
    fs.writeFileSync(globalConfig, `[credential]\n\thelper = store --file ${store}\n`);
    process.env.GIT_CONFIG_GLOBAL = globalConfig;
    try {
      const parent = fs.mkdtempSync(path.join(scratch, 'stale-'));
      const folder = await vscode.commands.executeCommand<string>('bitbucket.clone', {
        repository: target,
        parentDirectory: parent,
        afterClone: 'none',
      });
      assert.ok(folder && fs.existsSync(path.join(folder, '.git')));
      assert.ok(!fs.readFileSync(store, 'utf8').includes(DEMO.apiToken));
    } finally {
      delete process.env.GIT_CONFIG_GLOBAL;
    }
  });

  it('fetches afterwards through VS Code git, with credentials from our provider', async function () {
    this.timeout(60_000);
    const target = await repository(DEMO.privateRepository.workspace, DEMO.privateRepository.slug);
    const parent = fs.mkdtempSync(path.join(scratch, 'fetch-'));
    const folder = await vscode.commands.executeCommand<string>('bitbucket.clone', {
      repository: target,
      parentDirectory: parent,
      afterClone: 'none',
    });
    const git = vscode.extensions.getExtension<GitExtension>('vscode.git')!;
    const api = (git.isActive ? git.exports : await git.activate()).getAPI(1);
    await allowGitOutsideWorkspace(async () => {
      const local = await api.openRepository(vscode.Uri.file(folder));
      assert.ok(local, 'VS Code git opened the clone');
      await clearRequests();
      await local.fetch();
    });
    const gitRequests = (await getRequests()).filter((entry) => entry.git);
    assert.ok(
      gitRequests.some((entry) => entry.status === 200 && entry.user),
      `authenticated fetch: ${JSON.stringify(gitRequests)}`,
    );
    const config = fs.readFileSync(path.join(folder, '.git', 'config'), 'utf8');
    assert.ok(!config.includes(DEMO.apiToken));
  });

  it('a token revoked since sign-in: clone says so, leaves no folder, and the view asks to sign in again', async () => {
    const target = await repository(DEMO.privateRepository.workspace, DEMO.privateRepository.slug);
    const parent = fs.mkdtempSync(path.join(scratch, 'revoked-'));
    const api = await extensionApi();
    await revokeToken(DEMO.apiToken);
    try {
      const message = await errorShownBy(api, () =>
        vscode.commands.executeCommand('bitbucket.clone', { repository: target, parentDirectory: parent, afterClone: 'none' }),
      );
      assert.match(message ?? '', /did not accept the email and API token/);
      assert.deepEqual(fs.readdirSync(parent), [], 'no folder left behind');
      assert.equal(api.authState(), 'expired');
      assert.ok(api.account(), 'nothing was deleted');
    } finally {
      await reset();
      await signInWithApiToken();
    }
  });

  describe('a chosen branch', () => {
    // special-files has a git-lfs pointer; where git-lfs is installed it would try to download it.
    const savedSkip = process.env.GIT_LFS_SKIP_SMUDGE;
    before(() => (process.env.GIT_LFS_SKIP_SMUDGE = '1'));
    after(() => {
      if (savedSkip === undefined) delete process.env.GIT_LFS_SKIP_SMUDGE;
      else process.env.GIT_LFS_SKIP_SMUDGE = savedSkip;
    });
    const special = { container: DEMO.specialRepository.workspace, slug: DEMO.specialRepository.slug };

    for (const [branch, check] of [
      ['develop', (folder: string) => assert.ok(fs.existsSync(path.join(folder, 'src', 'feature.ts')), 'develop adds src/feature.ts')],
      ['release/1.0', (folder: string) => assert.match(fs.readFileSync(path.join(folder, 'VERSION'), 'utf8'), /1\.0\.1/)],
    ] as const) {
      it(`clones ${branch} and checks it out`, async function () {
        this.timeout(60_000);
        const parent = fs.mkdtempSync(path.join(scratch, 'branch-'));
        const folder = await vscode.commands.executeCommand<string>('bitbucket.clone', {
          repository: special,
          parentDirectory: parent,
          afterClone: 'none',
          branch,
        });
        const head = execFileSync('git', ['-C', folder, 'rev-parse', '--abbrev-ref', 'HEAD'], { encoding: 'utf8' }).trim();
        assert.equal(head, branch);
        check(folder);
      });
    }

    it('refuses a name that is not a branch name before git runs, and says a missing branch is missing', async () => {
      const api = await extensionApi();
      const parent = fs.mkdtempSync(path.join(scratch, 'bad-branch-'));
      fs.rmSync(argvLog, { force: true });
      for (const branch of ['--upload-pack=touch /tmp/pwned', 'a..b', 'has space']) {
        const message = await errorShownBy(api, () =>
          vscode.commands.executeCommand('bitbucket.clone', { repository: special, parentDirectory: parent, afterClone: 'none', branch }),
        );
        assert.match(message ?? '', /is not a branch name; nothing was cloned/, branch);
      }
      assert.ok(!fs.existsSync(argvLog), 'git never ran');
      const message = await errorShownBy(api, () =>
        vscode.commands.executeCommand('bitbucket.clone', {
          repository: special,
          parentDirectory: parent,
          afterClone: 'none',
          branch: 'nope',
        }),
      );
      assert.match(message ?? '', /no branch "nope"/);
      assert.deepEqual(fs.readdirSync(parent), [], 'no folder left behind');
    });
  });

  it('says so when git is missing', async () => {
    const target = await repository(DEMO.publicRepository.workspace, DEMO.publicRepository.slug);
    const parent = fs.mkdtempSync(path.join(scratch, 'nogit-'));
    const api = await extensionApi();
    const path_ = process.env.PATH;
    process.env.PATH = path.join(scratch, 'empty-bin');
    try {
      const message = await errorShownBy(api, () =>
        vscode.commands.executeCommand('bitbucket.clone', { repository: target, parentDirectory: parent, afterClone: 'none' }),
      );
      assert.match(message ?? '', /Git was not found/);
      assert.deepEqual(fs.readdirSync(parent), [], 'no folder left behind');
    } finally {
      process.env.PATH = path_;
    }
  });
});
