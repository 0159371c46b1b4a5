/**
 * Cloning with a token Data Center takes only as `Authorization: Bearer` (project and repository tokens):
 * real git against the Data Center sandbox. The token goes to this git process in its environment only:
 * never in argv (of git or anything it starts), the remote URL or `.git/config`, and never to another URL.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bearerEnvironment, cloneRepository } from '../../src/git/gitClone';
import { GitError } from '../../src/git/gitErrors';
import { repoRoot } from '../harness/paths';
import { DataCenterSandbox, startDataCenterSandbox } from '../sandbox/datacenter/server';

let sandbox: DataCenterSandbox;
let scratch: string;
let argvLog: string;
let traceLog: string;
let env: NodeJS.ProcessEnv;

before(async () => {
  sandbox = await startDataCenterSandbox();
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bitbucket-bearer-clone-'));
  const bin = path.join(scratch, 'bin');
  fs.mkdirSync(bin);
  fs.mkdirSync(path.join(scratch, 'home'));
  // A git first on PATH that writes down every command line it is given, then runs the real git.
  argvLog = path.join(scratch, 'git-argv.log');
  traceLog = path.join(scratch, 'git-trace.log');
  const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  fs.writeFileSync(path.join(bin, 'git'), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${argvLog}'\nexec '${realGit}' "$@"\n`, { mode: 0o755 });
  env = { PATH: `${bin}:${process.env.PATH}`, HOME: path.join(scratch, 'home'), GIT_CONFIG_NOSYSTEM: '1', GIT_TRACE: traceLog };
});

after(async () => {
  await sandbox.close();
  fs.rmSync(scratch, { recursive: true, force: true });
});

const askpass = {
  script: path.join(repoRoot, 'src/git/askpass.sh'),
  main: path.join(repoRoot, 'out/src/git/askpassMain.js'),
  node: process.execPath,
};

function cloneWith(token: string, projectKey: string, slug: string) {
  const target = path.join(scratch, `${slug}-${Math.random().toString(36).slice(2, 8)}`);
  const url = `${sandbox.url}/scm/${projectKey.toLowerCase()}/${slug}.git`;
  return {
    target,
    url,
    done: cloneRepository({ gitPath: 'git', url, target, username: '', password: '', bearerToken: token, askpass, env }),
  };
}

describe('cloning with a Bearer token (Data Center project and repository tokens)', () => {
  it('clones with a repository token, which Data Center refuses as Basic, and the token is in no command line or file', async () => {
    const { projectKey, slug } = sandbox.credentials.tokenRepository;
    const token = sandbox.credentials.tokens.repository.token;
    sandbox.clearRequests();
    const { target, done } = cloneWith(token, projectKey, slug);
    await done;
    assert.ok(fs.existsSync(path.join(target, 'README.md')), 'the work tree is checked out');
    const gitRequests = sandbox.requests.filter((entry) => entry.git);
    assert.ok(gitRequests.length > 0);
    assert.deepEqual([...new Set(gitRequests.map((entry) => entry.credential))], [sandbox.credentials.tokens.repository.name]);
    for (const [what, text] of [
      ['argv of every git run', fs.readFileSync(argvLog, 'utf8')],
      ['the command lines git started (GIT_TRACE)', fs.readFileSync(traceLog, 'utf8')],
      ['.git/config', fs.readFileSync(path.join(target, '.git', 'config'), 'utf8')],
    ]) {
      assert.ok(!text.includes(token), `the token is not in ${what}`);
    }
    assert.doesNotMatch(fs.readFileSync(path.join(target, '.git', 'config'), 'utf8'), /extraHeader|Bearer/i);
  });

  it('a token the server refuses fails as an authentication error, without asking for a password', async () => {
    const { projectKey, slug } = sandbox.credentials.tokenRepository;
    const { target, done } = cloneWith(sandbox.credentials.tokens.expired.token, projectKey, slug);
    await assert.rejects(done, (error: unknown) => error instanceof GitError && error.kind === 'authentication');
    assert.ok(!fs.existsSync(target), 'no folder is left behind');
  });

  it('scopes the header to the clone URL, keeps any GIT_CONFIG_* entries already given, and refuses a token with a line break', () => {
    const url = new URL('https://bitbucket.example.com/scm/plat/web.git');
    const given = { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'core.autocrlf', GIT_CONFIG_VALUE_0: 'false' };
    const added = bearerEnvironment(given, url, 'BBDC-abc');
    assert.equal(added.GIT_CONFIG_COUNT, '3');
    assert.equal(added.GIT_CONFIG_KEY_1, 'http.https://bitbucket.example.com/scm/plat/web.git.extraHeader');
    assert.equal(added.GIT_CONFIG_VALUE_1, 'Authorization: Bearer BBDC-abc');
    assert.deepEqual([added.GIT_CONFIG_KEY_2, added.GIT_CONFIG_VALUE_2], ['http.followRedirects', 'false']);
    assert.equal(added.GIT_CONFIG_KEY_0, undefined, 'the entry given stays as it was');
    assert.throws(() => bearerEnvironment({}, url, 'abc\r\nX-Evil: 1'), GitError);
  });
});
