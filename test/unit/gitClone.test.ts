/**
 * git clone through the askpass channel against the sandbox's real git server: the token reaches git
 * only through askpass (the bash one by default, the Node one without bash), never argv, URL or config;
 * failures leave no folder behind.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { BitbucketClient } from '../../src/bitbucket/client';
import { CloudHost } from '../../src/bitbucket/cloudHost';
import { cloneUrl } from '../../src/host/links';
import { HostedRepository } from '../../src/host/types';
import { GIT_USERNAME_FOR_ACCESS_TOKEN, GIT_USERNAME_FOR_API_TOKEN } from '../../src/bitbucket/credentials';
import { InvalidAnswerError } from '../../src/host/errors';
import { BASH, askpassPrograms } from '../../src/git/askpassPrograms';
import { AskpassPrograms, AskpassSession, answerFor } from '../../src/git/askpassServer';
import { CloneOptions, cloneRepository, progressMessage } from '../../src/git/gitClone';
import { claimTarget, cloneFolderName } from '../../src/git/cloneTarget';
import { GitError } from '../../src/git/gitErrors';
import { Sandbox, startSandbox } from '../sandbox/server';

const repoRoot = path.resolve(__dirname, '../../..');

let sandbox: Sandbox;
let scratch: string;
let home: string;
let wrapperLog: string;
let nodeLog: string;
let traceLog: string;
let env: NodeJS.ProcessEnv;
/** The askpass programs as shipped, with a Node that writes down each start's argv. */
let askpass: AskpassPrograms;
/** The same without bash: git's askpass is the Node program. */
let nodeAskpass: AskpassPrograms;
let small: HostedRepository;
let largest: HostedRepository;

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
  // The same for the Node that askpass starts, so a test can tell whether it started and with what.
  nodeLog = path.join(scratch, 'node-argv.log');
  const node = path.join(bin, 'askpass-node');
  fs.writeFileSync(node, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${nodeLog}'\nexec '${process.execPath}' "$@"\n`, { mode: 0o755 });
  nodeAskpass = { script: path.join(repoRoot, 'src/git/askpass.sh'), main: path.join(repoRoot, 'out/src/git/askpassMain.js'), node };
  askpass = { ...nodeAskpass, bashScript: path.join(repoRoot, 'src/git/askpass-bash.sh') };
  // git's own trace names every process git and its helpers start, with its whole command line.
  traceLog = path.join(scratch, 'git-trace.log');
  env = { PATH: `${bin}:${process.env.PATH}`, HOME: home, GIT_CONFIG_NOSYSTEM: '1', GIT_TRACE: traceLog };

  const client = new BitbucketClient({
    baseUrl: sandbox.apiUrl,
    credential: { kind: 'apiToken', email: sandbox.credentials.email, token: sandbox.credentials.apiToken },
  });
  const { workspace, slug } = sandbox.credentials.largestRepository;
  const host = new CloudHost(client, { kind: 'apiToken', email: sandbox.credentials.email, token: sandbox.credentials.apiToken });
  largest = await host.repository({ container: workspace, slug });
  small = await host.repository({
    container: sandbox.credentials.privateRepository.workspace,
    slug: sandbox.credentials.privateRepository.slug,
  });
});

after(async () => {
  await sandbox.close();
  fs.rmSync(scratch, { recursive: true, force: true });
});

beforeEach(() => {
  fs.rmSync(wrapperLog, { force: true });
  fs.rmSync(nodeLog, { force: true });
  fs.rmSync(traceLog, { force: true });
  fs.rmSync(path.join(home, '.gitconfig'), { force: true });
  fs.rmSync(path.join(home, '.git-credentials'), { force: true });
});

function options(repository: HostedRepository, overrides: Partial<CloneOptions> = {}): CloneOptions {
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

function readLog(file = wrapperLog): string {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
}

/** The command lines of the processes git started, as GIT_TRACE wrote them down. */
function startedByGit(): string[] {
  return readLog(traceLog)
    .split('\n')
    .filter((line) => /trace: (run_command|exec|built-in):/.test(line));
}

describe('cloneRepository', () => {
  it('clones a private repository, and no token is in argv, the remote URL or .git/config', async () => {
    const opts = options(small);
    const phases: string[] = [];
    await cloneRepository({ ...opts, onProgress: (progress) => phases.push(progressMessage(progress)) });
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
    assert.ok(
      gitRequests.some((entry) => entry.status === 200 && entry.user),
      'git authenticated',
    );
  });

  it('asks the bash askpass, once, and starts no Node: no command line of any process carries the token', async () => {
    await cloneRepository(options(small));
    const started = startedByGit();
    const askpassRuns = started.filter((line) => line.includes('askpass'));
    assert.equal(askpassRuns.length, 1, started.join('\n'));
    assert.ok(askpassRuns[0].includes(`run_command: ${askpass.bashScript} 'Password for `), askpassRuns[0]);
    assert.ok(
      started.some((line) => line.includes('remote-http')),
      'the trace covers git-remote-http, which runs askpass',
    );
    assert.equal(readLog(nodeLog), '', 'no Node started');
    assert.ok(!readLog(traceLog).includes(sandbox.credentials.apiToken));
  });

  it('without bash, the Node askpass answers over the private socket, and no command line carries the token', async () => {
    const opts = options(small, { askpass: nodeAskpass });
    await cloneRepository(opts);
    assert.equal(git(opts.target, 'status', '--porcelain'), '');
    const askpassRuns = startedByGit().filter((line) => line.includes('askpass'));
    assert.equal(askpassRuns.length, 1);
    assert.ok(askpassRuns[0].includes(`run_command: ${nodeAskpass.script} 'Password for `), askpassRuns[0]);
    const nodeStarts = readLog(nodeLog).split('\n').filter(Boolean);
    assert.equal(nodeStarts.length, 1);
    assert.match(nodeStarts[0], /askpassMain\.js Password for 'http:\/\/x-bitbucket-api-token-auth@127\.0\.0\.1:\d+': $/);
    assert.ok(!readLog(traceLog).includes(sandbox.credentials.apiToken));
    assert.ok(!readLog(nodeLog).includes(sandbox.credentials.apiToken));
  });

  it('without bash, a wrong token fails with the 401 message too', async () => {
    const opts = options(small, { askpass: nodeAskpass, password: 'ATATT-wrong-token' });
    await rejectsWithKind(cloneRepository(opts), 'authentication');
    assert.ok(!fs.existsSync(opts.target));
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
    assert.ok(!readLog(traceLog).includes('ATATT-wrong-token'));
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

  it('takes no target that anything is at (an empty folder, a dangling symlink, a file) and leaves each as it was', async () => {
    const empty = options(small);
    fs.mkdirSync(empty.target);
    await rejectsWithKind(cloneRepository(empty), 'targetExists');
    assert.deepEqual(fs.readdirSync(empty.target), []);
    const dangling = options(small);
    fs.symlinkSync(path.join(scratch, 'nowhere'), dangling.target);
    await rejectsWithKind(cloneRepository(dangling), 'targetExists');
    assert.equal(fs.readlinkSync(dangling.target), path.join(scratch, 'nowhere'), 'the symlink is still there');
    const file = options(small);
    fs.writeFileSync(file.target, 'mine');
    await rejectsWithKind(cloneRepository(file), 'targetExists');
    assert.equal(fs.readFileSync(file.target, 'utf8'), 'mine');
    assert.equal(readLog(), '', 'git never ran');
  });

  it('two clones into one folder at once: one clones, the other is refused, and the finished clone stays', async () => {
    for (let round = 0; round < 4; round++) {
      const opts = options(small);
      const results = await Promise.allSettled([cloneRepository(opts), cloneRepository(opts)]);
      assert.deepEqual(results.map((result) => result.status).sort(), ['fulfilled', 'rejected'], `round ${round}`);
      const refused = results.find((result) => result.status === 'rejected') as PromiseRejectedResult;
      assert.ok(refused.reason instanceof GitError && refused.reason.kind === 'targetExists', String(refused.reason));
      assert.equal(git(opts.target, 'status', '--porcelain'), '', 'the clone that won is whole');
    }
  });

  it('a claimed folder replaced by another since (removed and made again) is left alone on release', async (t) => {
    const target = path.join(scratch, `claimed-${Math.random().toString(36).slice(2, 8)}`);
    const claimed = await claimTarget(target);
    if (fs.lstatSync(target, { bigint: true }).birthtimeNs === 0n) {
      t.skip('this file system keeps no creation time, so a reused inode number cannot be told apart');
      return;
    }
    fs.rmdirSync(target);
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'theirs.txt'), 'not ours');
    await claimed.release();
    assert.equal(fs.readFileSync(path.join(target, 'theirs.txt'), 'utf8'), 'not ours');
    const ours = await claimTarget(path.join(scratch, `claimed-${Math.random().toString(36).slice(2, 8)}`));
    await ours.release();
    assert.ok(!fs.existsSync(ours.path), 'the folder it made is removed');
  });

  it('creates a missing parent folder, and on failure removes only the folder it made', async () => {
    const parent = path.join(scratch, `parent-${Math.random().toString(36).slice(2, 8)}`);
    const opts = options(small, { target: path.join(parent, 'deeper', 'repo'), password: 'ATATT-wrong-token' });
    await rejectsWithKind(cloneRepository(opts), 'authentication');
    assert.ok(!fs.existsSync(opts.target));
    assert.ok(fs.existsSync(path.dirname(opts.target)), 'the parent it made for the clone is harmless and stays');
  });

  it('refuses a clone link over plain http to another machine before git runs or a folder is made', async () => {
    const opts = options(small, { url: 'http://bitbucket.org/acme/private.git' });
    const error = await rejectsWithKind(cloneRepository(opts), 'failed');
    assert.match(error.message, /https only/);
    assert.ok(!fs.existsSync(opts.target));
    assert.equal(readLog(), '');
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

describe('clone folder names', () => {
  it('is the slug as it is on Linux and macOS', () => {
    for (const slug of ['api', 'con', 'my.repo', 'a_b-c', 'trailing.']) assert.equal(cloneFolderName(slug, 'acme/x', 'linux'), slug);
  });
  it('refuses a slug that is not a plain name: a path, a dot segment, nothing', () => {
    for (const slug of ['..', '.', '', '../../.config/x', 'a/b', 'a\\b', 'c:', 'x y', '/etc']) {
      assert.throws(
        () => cloneFolderName(slug, 'acme/x', 'linux'),
        (error: unknown) => {
          assert.ok(error instanceof InvalidAnswerError && error.kind === 'invalidResponse', String(error));
          assert.match(error.message, /not a plain folder name/);
          return true;
        },
        JSON.stringify(slug),
      );
    }
  });
  it("moves off Windows' device names and a trailing dot by an underscore there", () => {
    const cases: Array<[string, string]> = [
      ['con', 'con_'],
      ['AUX', 'AUX_'],
      ['nul.git', 'nul_.git'],
      ['com1', 'com1_'],
      ['lpt9.tar.gz', 'lpt9_.tar.gz'],
      ['repo.', 'repo._'],
      ['console', 'console'],
      ['icon', 'icon'],
      ['api', 'api'],
    ];
    for (const [slug, folder] of cases) assert.equal(cloneFolderName(slug, 'acme/x', 'win32'), folder, slug);
  });
});

describe('askpass', () => {
  const host = '127.0.0.1:7990';
  const token = 'ATATT-askpass-secret';
  const ourPrompt = `Password for 'http://x-bitbucket-api-token-auth@${host}': `;
  const otherHostPrompts = ["Password for 'https://evil.example.com': ", "Username for 'https://github.com': "];
  const answer = answerFor(`http://${host}/acme/api.git`, 'x-bitbucket-api-token-auth', token);

  /** Sends one raw request to the session's port and returns all it gets back before the close. */
  function exchange(port: string, request: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = net.createConnection({ host: '127.0.0.1', port: Number(port) });
      let reply = '';
      socket.setEncoding('utf8');
      socket.on('connect', () => socket.write(request));
      socket.on('data', (chunk: string) => (reply += chunk));
      socket.on('close', () => resolve(reply));
      socket.on('error', reject);
    });
  }

  /** Runs an askpass program as git does: the prompt as its one argument, the session's environment. */
  function runAskpass(program: string[], prompt: string, sessionEnv: Readonly<Record<string, string>>) {
    return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(program[0], [...program.slice(1), prompt], {
        env: { PATH: process.env.PATH, ...sessionEnv },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  it('listens on loopback TCP for the bash askpass, refuses a wrong or missing nonce, and closes on dispose', async () => {
    const session = await AskpassSession.start(askpass, answer);
    const { BITBUCKET_ASKPASS_PORT: port, BITBUCKET_ASKPASS_NONCE: nonce } = session.env;
    try {
      assert.equal(session.env.GIT_ASKPASS, askpass.bashScript);
      assert.equal(session.env.GIT_TERMINAL_PROMPT, '0');
      assert.equal(session.env.BITBUCKET_ASKPASS_SOCKET, undefined);
      assert.match(nonce, /^[0-9a-f]{48}$/);
      assert.ok(!Object.values(session.env).some((value) => value.includes(token)), "the token is not in git's environment");
      assert.equal(await exchange(port, `${nonce}\n${ourPrompt}\n`), `=${token}\n`);
      const wrong = `${nonce.slice(0, -1)}${nonce.endsWith('0') ? '1' : '0'}`;
      assert.equal(await exchange(port, `${wrong}\n${ourPrompt}\n`), '', 'a nonce one digit off');
      assert.equal(await exchange(port, `${nonce.slice(0, 24)}\n${ourPrompt}\n`), '', 'half the nonce');
      assert.equal(await exchange(port, `\n${ourPrompt}\n`), '', 'no nonce');
      assert.equal(await exchange(port, `${JSON.stringify({ nonce, prompt: ourPrompt })}\n`), '', 'the old JSON request');
      for (const prompt of otherHostPrompts) assert.equal(await exchange(port, `${nonce}\n${prompt}\n`), '!\n', prompt);
    } finally {
      await session.dispose();
    }
    await assert.rejects(exchange(port, `${nonce}\n${ourPrompt}\n`), /ECONNREFUSED/);
  });

  it('refuses a prompt its answerer cannot read, at once and without throwing', async () => {
    const session = await AskpassSession.start(askpass, answer);
    try {
      const started = Date.now();
      // decodeURIComponent throws on "%zz"; the connection must still close with no answer, not idle out.
      const reply = await exchange(
        session.env.BITBUCKET_ASKPASS_PORT,
        `${session.env.BITBUCKET_ASKPASS_NONCE}\nPassword for 'http://%zz@${host}': \n`,
      );
      assert.equal(reply, '!\n');
      assert.ok(Date.now() - started < 5_000, 'closed at once');
    } finally {
      await session.dispose();
    }
  });

  it('refuses an answer that spans lines rather than let git read half of it', async () => {
    const session = await AskpassSession.start(askpass, () => 'first\nsecond');
    try {
      assert.equal(await exchange(session.env.BITBUCKET_ASKPASS_PORT, `${session.env.BITBUCKET_ASKPASS_NONCE}\n${ourPrompt}\n`), '!\n');
    } finally {
      await session.dispose();
    }
  });

  it('the bash askpass prints the token for the Bitbucket host, refuses any other host, and starts no Node', async () => {
    const session = await AskpassSession.start(askpass, answer);
    try {
      const ours = await runAskpass([askpass.bashScript!], ourPrompt, session.env);
      assert.deepEqual(ours, { code: 0, stdout: `${token}\n`, stderr: '' });
      for (const prompt of otherHostPrompts) {
        const refused = await runAskpass([askpass.bashScript!], prompt, session.env);
        assert.notEqual(refused.code, 0, prompt);
        assert.equal(refused.stdout, '', prompt);
        assert.match(refused.stderr, /bitbucket askpass: refused/, prompt);
      }
      assert.equal(readLog(nodeLog), '');
    } finally {
      await session.dispose();
    }
  });

  it('the Node askpass speaks the same protocol on the loopback port (what the bash one falls back to)', async () => {
    const session = await AskpassSession.start(askpass, answer);
    try {
      const ours = await runAskpass([process.execPath, askpass.main], ourPrompt, session.env);
      assert.deepEqual(ours, { code: 0, stdout: `${token}\n`, stderr: '' });
      for (const prompt of otherHostPrompts) {
        const refused = await runAskpass([process.execPath, askpass.main], prompt, session.env);
        assert.equal(refused.code, 1, prompt);
        assert.equal(refused.stdout, '', prompt);
        assert.match(refused.stderr, /bitbucket askpass: refused/, prompt);
      }
      const wrongNonce = await runAskpass([process.execPath, askpass.main], ourPrompt, {
        ...session.env,
        BITBUCKET_ASKPASS_NONCE: 'f'.repeat(48),
      });
      assert.deepEqual(wrongNonce, { code: 1, stdout: '', stderr: 'bitbucket askpass: no answer from the editor (busy or closed)\n' });
    } finally {
      await session.dispose();
    }
  });

  it('the bash askpass hands over to the Node one when /dev/tcp cannot connect', async () => {
    // A session without bash names a unix socket and no port, so /dev/tcp has nothing to open.
    const session = await AskpassSession.start(nodeAskpass, answer);
    try {
      assert.equal(session.env.BITBUCKET_ASKPASS_PORT, undefined);
      for (const posix of [{}, { POSIXLY_CORRECT: '1' }] as Record<string, string>[]) {
        fs.rmSync(nodeLog, { force: true });
        const ours = await runAskpass([askpass.bashScript!], ourPrompt, { ...session.env, ...posix });
        assert.deepEqual(ours, { code: 0, stdout: `${token}\n`, stderr: '' }, JSON.stringify(posix));
        assert.equal(readLog(nodeLog), `${askpass.main} ${ourPrompt}\n`, 'Node started once, with the prompt only');
      }
    } finally {
      await session.dispose();
    }
  });

  it('drops at once a first line the protocol cannot hold (not hex, longer than the nonce) and an overlong prompt', async () => {
    const session = await AskpassSession.start(askpass, answer);
    const { BITBUCKET_ASKPASS_PORT: port, BITBUCKET_ASKPASS_NONCE: nonce } = session.env;
    try {
      for (const request of ['GET / HTTP/1.1\r\n', 'f'.repeat(49), `${nonce}\n${'P'.repeat(4096)}`]) {
        // A well-formed but unfinished request, sent at the same moment, is kept until its deadline: the
        // bad one must be closed first, whatever the machine's speed.
        const closed: string[] = [];
        const unfinished = exchange(port, 'abc').then(() => closed.push('unfinished'));
        const bad = exchange(port, request).then((reply) => (closed.push('bad'), reply));
        assert.equal(await bad, '', request.slice(0, 20));
        await unfinished;
        assert.deepEqual(closed, ['bad', 'unfinished'], `dropped at once: ${request.slice(0, 20)}`);
      }
    } finally {
      await session.dispose();
    }
  });

  it('strangers holding every connection slot cannot shut git out, and each is cut off after its deadline', async () => {
    const session = await AskpassSession.start(askpass, answer);
    const port = Number(session.env.BITBUCKET_ASKPASS_PORT);
    const held: Array<Promise<void>> = [];
    try {
      for (let i = 0; i < 32; i++) {
        const socket = net.createConnection({ host: '127.0.0.1', port });
        socket.on('error', () => undefined);
        await new Promise((resolve) => socket.once('connect', resolve));
        // One hex digit every 300 ms: an idle timeout alone would never fire.
        const trickle = setInterval(() => socket.write('a'), 300);
        held.push(new Promise((resolve) => socket.once('close', () => (clearInterval(trickle), resolve()))));
      }
      // The oldest stranger makes room: git's askpass is answered while all 32 slots were taken.
      assert.deepEqual(await runAskpass([askpass.bashScript!], ourPrompt, session.env), { code: 0, stdout: `${token}\n`, stderr: '' });
      const everyone = Promise.all(held).then(() => 'all cut off');
      const tooLong = new Promise((resolve) => setTimeout(() => resolve('still held after 10 s'), 10_000).unref());
      assert.equal(await Promise.race([everyone, tooLong]), 'all cut off');
    } finally {
      await session.dispose();
    }
  });

  it('tells git the editor did not answer when it is gone, not that the prompt was refused', async () => {
    const session = await AskpassSession.start(askpass, answer);
    await session.dispose();
    // The bash askpass cannot connect, hands over to the Node one, which cannot either.
    const gone = await runAskpass([askpass.bashScript!], ourPrompt, session.env);
    assert.notEqual(gone.code, 0);
    assert.equal(gone.stdout, '');
    assert.match(gone.stderr, /bitbucket askpass: no answer from the editor/);
  });

  it("clones with the user's credential.useHttpPath set, which would otherwise put the path into git's prompt", async () => {
    fs.writeFileSync(path.join(home, '.gitconfig'), '[credential]\n\tuseHttpPath = true\n');
    const opts = options(small);
    await cloneRepository(opts);
    assert.equal(git(opts.target, 'status', '--porcelain'), '');
  });

  it('with real git, a prompt for the same host over another scheme gets nothing, and the server never sees the token', async () => {
    const url = cloneUrl(small)!;
    assert.match(url, /^http:\/\/127\.0\.0\.1:/);
    const lsRemote = async (answeredFor: string) => {
      sandbox.clearRequests();
      const session = await AskpassSession.start(askpass, answerFor(answeredFor, GIT_USERNAME_FOR_API_TOKEN, sandbox.credentials.apiToken));
      try {
        return await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
          const child = spawn(
            'git',
            ['-c', 'credential.helper=', '-c', `credential.username=${GIT_USERNAME_FOR_API_TOKEN}`, 'ls-remote', url],
            {
              env: { ...env, ...session.env },
              stdio: ['ignore', 'ignore', 'pipe'],
            },
          );
          let stderr = '';
          child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
          child.on('error', reject);
          child.on('close', (code) => resolve({ code, stderr }));
        });
      } finally {
        await session.dispose();
      }
    };
    const authenticated = () => sandbox.requests.filter((entry) => entry.git && entry.auth !== 'none');
    // The control: answering for the remote's own scheme works, so the refusal below is the scheme's doing.
    assert.equal((await lsRemote(url)).code, 0);
    assert.ok(authenticated().length > 0);
    const refused = await lsRemote(url.replace(/^http:/, 'https:'));
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /bitbucket askpass: refused/);
    assert.deepEqual(authenticated(), [], 'no git request carried a credential');
  });

  it('askpassPrograms offers the bash script where /bin/bash is, made executable as a .vsix leaves it not', async () => {
    assert.ok(fs.existsSync(BASH), `${BASH} is missing: the bash askpass cannot be tested here`);
    assert.match(fs.readFileSync(askpass.bashScript!, 'utf8'), new RegExp(`^#!${BASH} `), 'the script runs the bash that is looked for');
    const extension = path.join(scratch, 'installed-extension');
    fs.mkdirSync(path.join(extension, 'dist'), { recursive: true });
    for (const name of ['askpass.sh', 'askpass-bash.sh']) {
      fs.copyFileSync(path.join(repoRoot, 'src/git', name), path.join(extension, 'dist', name));
      fs.chmodSync(path.join(extension, 'dist', name), 0o644);
    }
    const programs = await askpassPrograms(extension, path.join(scratch, 'storage'));
    assert.deepEqual(programs, {
      script: path.join(extension, 'dist', 'askpass.sh'),
      bashScript: path.join(extension, 'dist', 'askpass-bash.sh'),
      main: path.join(extension, 'dist', 'askpass-main.js'),
      node: process.execPath,
    });
    for (const script of [programs.script, programs.bashScript!]) assert.equal(fs.statSync(script).mode & 0o777, 0o755, script);
  });
});
