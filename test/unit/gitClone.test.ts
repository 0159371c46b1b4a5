/**
 * git clone through the askpass channel against the sandbox's real git server: the token reaches git
 * only through askpass, never argv, URL or config; failures leave no folder behind.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { BitbucketClient } from '../../src/bitbucket/client';
import { cloneUrl } from '../../src/bitbucket/cloneLinks';
import { GIT_USERNAME_FOR_ACCESS_TOKEN, GIT_USERNAME_FOR_API_TOKEN } from '../../src/bitbucket/credentials';
import { Repository } from '../../src/bitbucket/schemas';
import { AskpassPrograms } from '../../src/git/askpassServer';
import { CloneOptions, GitError, cloneRepository } from '../../src/git/gitClone';
import { Sandbox, startSandbox } from '../sandbox/server';

const repoRoot = path.resolve(__dirname, '../../..');
const askpass: AskpassPrograms = {
  script: path.join(repoRoot, 'src/git/askpass.sh'),
  main: path.join(repoRoot, 'out/src/git/askpassMain.js'),
  node: process.execPath,
};

let sandbox: Sandbox;
let scratch: string;
let home: string;
let wrapperLog: string;
let env: NodeJS.ProcessEnv;
let small: Repository;
let largest: Repository;

before(async () => {
  sandbox = await startSandbox({ port: 0 });
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bitbucket-clone-test-'));
  home = path.join(scratch, 'home');
  fs.mkdirSync(home);
  // A git first on PATH that writes down every command line it is given, then runs the real git.
  const bin = path.join(scratch, 'bin');
  fs.mkdirSync(bin);
  wrapperLog = path.join(scratch, 'git-argv.log');
  const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  fs.writeFileSync(path.join(bin, 'git'), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${wrapperLog}'\nexec '${realGit}' "$@"\n`, { mode: 0o755 });
  env = { PATH: `${bin}:${process.env.PATH}`, HOME: home, GIT_CONFIG_NOSYSTEM: '1' };

  const client = new BitbucketClient({
    baseUrl: sandbox.apiUrl,
    credential: { kind: 'apiToken', email: sandbox.credentials.email, token: sandbox.credentials.apiToken },
  });
  const { workspace, slug } = sandbox.credentials.largestRepository;
  largest = await client.getRepository(workspace, slug);
  small = await client.getRepository(sandbox.credentials.privateRepository.workspace, sandbox.credentials.privateRepository.slug);
});

after(async () => {
  await sandbox.close();
  fs.rmSync(scratch, { recursive: true, force: true });
});

beforeEach(() => {
  fs.rmSync(wrapperLog, { force: true });
  fs.rmSync(path.join(home, '.gitconfig'), { force: true });
  fs.rmSync(path.join(home, '.git-credentials'), { force: true });
});

function options(repository: Repository, overrides: Partial<CloneOptions> = {}): CloneOptions {
  return {
    gitPath: 'git',
    url: cloneUrl(repository)!,
    target: path.join(scratch, `${repository.slug}-${Math.random().toString(36).slice(2, 8)}`),
    username: GIT_USERNAME_FOR_API_TOKEN,
    password: sandbox.credentials.apiToken,
    askpass,
    env,
    ...overrides,
  };
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...env } }).trim();
}

async function rejectsWithKind(promise: Promise<unknown>, kind: GitError['kind']): Promise<GitError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof GitError, String(error));
    assert.equal(error.kind, kind, error.message);
    return error;
  }
  assert.fail(`expected a ${kind} error`);
}

function readLog(): string {
  return fs.existsSync(wrapperLog) ? fs.readFileSync(wrapperLog, 'utf8') : '';
}

describe('cloneRepository', () => {
  it('clones a private repository, and no token is in argv, the remote URL or .git/config', async () => {
    const opts = options(small);
    const phases: string[] = [];
    await cloneRepository({ ...opts, onProgress: (progress) => phases.push(progress.phase) });
    assert.ok(fs.existsSync(path.join(opts.target, '.git')));
    assert.ok(Number(git(opts.target, 'rev-list', '--count', 'HEAD')) >= 1);
    assert.equal(git(opts.target, 'status', '--porcelain'), '');
    const remote = git(opts.target, 'remote', 'get-url', 'origin');
    assert.equal(remote, opts.url);
    assert.ok(!remote.includes('@'));
    const config = fs.readFileSync(path.join(opts.target, '.git', 'config'), 'utf8');
    assert.ok(!config.includes(sandbox.credentials.apiToken));
    assert.match(config, /\[credential "http:\/\/127\.0\.0\.1:\d+"\]\s+helper =\s*$/m, 'helpers are switched off for this host');
    const argv = readLog();
    assert.match(argv, /clone --progress/);
    assert.ok(!argv.includes(sandbox.credentials.apiToken));
    const gitRequests = sandbox.requests.filter((entry) => entry.git);
    assert.ok(gitRequests.some((entry) => entry.status === 200 && entry.user), 'git authenticated');
  });

  it('clones with an access token as x-token-auth', async () => {
    const opts = options(small, { username: GIT_USERNAME_FOR_ACCESS_TOKEN, password: sandbox.credentials.accessToken.token });
    await cloneRepository(opts);
    assert.ok(fs.existsSync(path.join(opts.target, '.git')));
  });

  it('a wrong token fails with the 401 message and leaves no folder', async () => {
    const opts = options(small, { password: 'ATATT-wrong-token' });
    const error = await rejectsWithKind(cloneRepository(opts), 'authentication');
    assert.match(error.message, /401/);
    assert.ok(!fs.existsSync(opts.target));
    assert.ok(!(error.detail ?? '').includes('ATATT-wrong-token'));
  });

  it('a stale credential helper entry does not break the clone, and the token is not stored in it', async () => {
    const port = new URL(sandbox.url).port;
    const stale = `http://${GIT_USERNAME_FOR_API_TOKEN}:ATATT-stale-and-revoked@127.0.0.1%3a${port}\n`;
    fs.writeFileSync(path.join(home, '.git-credentials'), stale);
    fs.writeFileSync(path.join(home, '.gitconfig'), '[credential]\n\thelper = store\n');
    const opts = options(small);
    await cloneRepository(opts);
    assert.ok(fs.existsSync(path.join(opts.target, '.git')));
    assert.equal(fs.readFileSync(path.join(home, '.git-credentials'), 'utf8'), stale, 'the helper store is untouched');
    // A later fetch from a shell does not consult the stale helper either (and, without askpass, fails cleanly).
    const config = git(opts.target, 'config', '--get-urlmatch', 'credential.helper', opts.url);
    assert.equal(config, '');
  });

  it('refuses a target that exists and is not empty, before git runs', async () => {
    const opts = options(small);
    fs.mkdirSync(opts.target);
    fs.writeFileSync(path.join(opts.target, 'keep.txt'), 'mine');
    await rejectsWithKind(cloneRepository(opts), 'targetExists');
    assert.equal(readLog(), '');
    assert.equal(fs.readFileSync(path.join(opts.target, 'keep.txt'), 'utf8'), 'mine');
  });

  it('clones into an existing empty folder and empties it again on failure', async () => {
    const opts = options(small, { password: 'ATATT-wrong-token' });
    fs.mkdirSync(opts.target);
    await rejectsWithKind(cloneRepository(opts), 'authentication');
    assert.deepEqual(fs.readdirSync(opts.target), []);
  });

  it('cancelling mid-clone kills git and removes the partial folder', async () => {
    sandbox.setLatency(0);
    const controller = new AbortController();
    const opts = options(largest, { signal: controller.signal });
    let progressSeen = false;
    const pending = cloneRepository({
      ...opts,
      onProgress: () => {
        if (!progressSeen) {
          progressSeen = true;
          controller.abort();
        }
      },
    });
    await rejectsWithKind(pending, 'cancelled');
    assert.ok(progressSeen);
    assert.ok(!fs.existsSync(opts.target));
  });

  it('a full disk stops the clone with its own message and leaves no partial folder', async (t) => {
    // A 1 MB tmpfs stands in for a full disk; mounting needs root (CI runs as root).
    const disk = path.join(scratch, 'small-disk');
    fs.mkdirSync(disk);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', disk], { stdio: 'ignore' });
    } catch {
      t.skip('cannot mount a small tmpfs here (needs root)');
      return;
    }
    try {
      const opts = options(largest, { target: path.join(disk, 'monorepo') });
      const error = await rejectsWithKind(cloneRepository(opts), 'diskFull');
      assert.match(error.message, /disk is full/);
      assert.deepEqual(fs.readdirSync(disk), []);
    } finally {
      execFileSync('umount', [disk]);
    }
  });

  it('says so when git is missing', async () => {
    const opts = options(small, { gitPath: path.join(scratch, 'no-such-git') });
    const error = await rejectsWithKind(cloneRepository(opts), 'gitMissing');
    assert.match(error.message, /Install Git/);
    assert.ok(!fs.existsSync(opts.target));
  });

  it('a server that is gone is a network failure', async () => {
    const opts = options(small, { url: 'http://127.0.0.1:9/acme/nothing.git' });
    await rejectsWithKind(cloneRepository(opts), 'network');
    assert.ok(!fs.existsSync(opts.target));
  });

  it('refuses a URL that carries credentials', async () => {
    await assert.rejects(cloneRepository(options(small, { url: 'http://user:secret@127.0.0.1:9/a/b.git' })), /must not carry credentials/);
  });
});
