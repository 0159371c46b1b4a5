import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { answerFor } from '../../src/git/askpassServer';
import { classify } from '../../src/git/gitErrors';
import { pushError } from '../../src/git/publish';

describe("git's complaints", () => {
  const cases: Array<[string, string]> = [
    ["fatal: Authentication failed for 'https://bitbucket.org/acme/api.git/'", 'authentication'],
    ["fatal: could not read Username for 'https://bitbucket.org': terminal prompts disabled", 'authentication'],
    ["fatal: unable to access 'https://bitbucket.org/acme/api.git/': The requested URL returned error: 403", 'forbidden'],
    ["remote: Repository not found\nfatal: repository 'https://bitbucket.org/acme/nope.git/' not found", 'notFound'],
    ["fatal: unable to access 'https://bitbucket.org/acme/api.git/': Could not resolve host: bitbucket.org", 'network'],
    ['error: RPC failed; curl 18 transfer closed with outstanding read data remaining\nfatal: early EOF', 'network'],
    ['fatal: write error: No space left on device\nfatal: index-pack failed', 'diskFull'],
    ["fatal: unable to access 'https://bitbucket.org/acme/api.git/': The requested URL returned error: 410", 'authentication'],
    ["fatal: unable to access 'https://bitbucket.org/acme/api.git/': The requested URL returned error: 429", 'rateLimited'],
    ["fatal: unable to access 'https://bitbucket.org/acme/api.git/': The requested URL returned error: 502", 'serverError'],
    [
      "error: unable to read askpass response from '/ext/dist/askpass-bash.sh'\nfatal: could not read Password for 'https://x@bitbucket.org': terminal prompts disabled",
      'askpass',
    ],
    [
      "error: cannot run /ext/dist/askpass-bash.sh: Permission denied\nfatal: could not read Password for 'https://x@bitbucket.org': No such device or address",
      'askpass',
    ],
    ['fatal: something unexpected', 'failed'],
    [
      "bitbucket askpass: no answer from the editor (busy or closed)\nerror: unable to read askpass response from '/ext/dist/askpass-bash.sh'\nfatal: could not read Password for 'https://x@bitbucket.org': terminal prompts disabled",
      'askpass',
    ],
    [
      "bitbucket askpass: refused, not a prompt for this Bitbucket remote\nerror: unable to read askpass response from '/ext/dist/askpass-bash.sh'\nfatal: could not read Password for 'https://x@evil.example': terminal prompts disabled",
      'askpass',
    ],
    [
      "warning: templates not found in /usr/share/git-core/templates\nfatal: unable to access 'https://bitbucket.org/a/b.git/': Could not resolve host: bitbucket.org",
      'network',
    ],
  ];
  for (const [stderr, kind] of cases) {
    it(`reads ${kind} from "${stderr.split('\n').at(-1)}"`, () => {
      const error = classify(stderr);
      assert.equal(error.kind, kind);
      assert.ok(error.message.length > 20);
    });
  }

  it('says which askpass failure it was: the editor did not answer, a prompt was refused, or the helper could not run', () => {
    const why = (stderr: string) =>
      classify(`${stderr}\nfatal: could not read Password for 'https://x@bitbucket.org': terminal prompts disabled`).message;
    assert.match(why('bitbucket askpass: no answer from the editor (busy or closed)'), /did not answer in time\. Try again/);
    assert.match(why('bitbucket askpass: refused, not a prompt for this Bitbucket remote'), /address other than this Bitbucket repository/);
    assert.match(why('error: cannot run /ext/dist/askpass-bash.sh: Permission denied'), /could not run the extension's password helper/);
  });

  it('strips user info from URLs in the detail it keeps', () => {
    const error = classify("fatal: Authentication failed for 'https://x-token-auth:SECRET@bitbucket.org/acme/api.git/'");
    assert.ok(!error.detail!.includes('SECRET'));
  });
});

describe('askpass answers', () => {
  const user = 'x-bitbucket-api-token-auth';
  const answer = answerFor('http://127.0.0.1:7990/acme/api.git', user, 'ATATT-secret');
  it('gives the user name and then the token for exactly the prompts git prints for this remote', () => {
    assert.equal(answer("Username for 'http://127.0.0.1:7990': "), user);
    assert.equal(answer(`Password for 'http://${user}@127.0.0.1:7990': `), 'ATATT-secret');
  });
  it('takes the user name raw (git before 2.39.5) or percent-encoded (after)', () => {
    const email = answerFor('https://bitbucket.example/scm/x.git', 'ann@example.com', 'secret');
    assert.equal(email("Password for 'https://ann@example.com@bitbucket.example': "), 'secret');
    assert.equal(email("Password for 'https://ann%40example.com@bitbucket.example': "), 'secret');
    const spaced = answerFor('https://bitbucket.example/x.git', 'ann smith', 'secret');
    assert.equal(spaced("Password for 'https://ann%20smith@bitbucket.example': "), 'secret');
    // As git 2.39.5 here prints them: all but letters, digits and -._~ encoded in the user, more kept in the host.
    const quoted = answerFor('https://bb_srv.corp:7990/scm/x.git', "o'brien@x.com", 'secret');
    assert.equal(quoted("Password for 'https://o%27brien%40x.com@bb%5Fsrv.corp:7990': "), 'secret');
    assert.equal(quoted("Password for 'https://o'brien@x.com@bb_srv.corp:7990': "), 'secret', 'older git, raw');
    assert.equal(quoted("Username for 'https://bb%5Fsrv.corp:7990': "), "o'brien@x.com");
  });
  it('gives nothing to another host, another user, or an unknown prompt', () => {
    assert.equal(answer("Username for 'https://github.com': "), undefined);
    assert.equal(answer("Password for 'http://someone-else@127.0.0.1:7990': "), undefined);
    assert.equal(answer('Are you sure you want to continue connecting (yes/no)? '), undefined);
  });
  it('gives nothing to a prompt that only begins like ours: a quote in the user name (CVE-2024-50349), a path, another port', () => {
    const cloud = answerFor('https://bitbucket.org/acme/api.git', user, 'ATATT-secret');
    assert.equal(cloud(`Password for 'https://${user}@bitbucket.org': `), 'ATATT-secret', 'the control: our own prompt');
    for (const prompt of [
      "Password for 'https://bitbucket.org'@evil.example': ",
      "Username for 'https://bitbucket.org'@evil.example': ",
      `Password for 'https://${user}@bitbucket.org'@evil.example': `,
      `Password for 'https://${user}@bitbucket.org' and 'x': `,
      `Password for 'https://${user}@bitbucket.org/acme/api.git': `,
      `Password for 'https://${user}@bitbucket.org:8443': `,
      `Password for 'https://${user}@bitbucket.org.evil.example': `,
      `Password for 'https://${user}@bitbucket.org':`,
      `xPassword for 'https://${user}@bitbucket.org': `,
      `Password for 'https://${user}@evil.example': `,
    ]) {
      assert.equal(cloud(prompt), undefined, prompt);
    }
  });
  it("answers only for the remote's own scheme, and never for plain http to another machine", () => {
    const cloud = answerFor('https://bitbucket.org/acme/api.git', user, 'ATATT-secret');
    assert.equal(cloud(`Password for 'http://${user}@bitbucket.org': `), undefined);
    assert.equal(cloud("Username for 'http://bitbucket.org': "), undefined);
    const plain = answerFor('http://bitbucket.org/acme/api.git', user, 'ATATT-secret');
    assert.equal(plain(`Password for 'http://${user}@bitbucket.org': `), undefined);
    assert.equal(plain("Username for 'http://bitbucket.org': "), undefined);
  });
});

describe('a failed push after create', () => {
  const target = { fullName: 'acme/new-repo' } as Parameters<typeof pushError>[1];
  const cases: Array<[Record<string, string>, string, RegExp]> = [
    [
      {
        gitErrorCode: 'AuthenticationFailed',
        stderr: "fatal: Authentication failed for 'https://x:SECRET@bitbucket.org/acme/new-repo.git/'",
      },
      'authentication',
      /write:repository:bitbucket/,
    ],
    [{ gitErrorCode: 'PermissionDenied', stderr: 'remote: Forbidden' }, 'forbidden', /403/],
    [
      { gitErrorCode: 'RemoteConnectionError', stderr: 'fatal: unable to access: Could not resolve host: bitbucket.org' },
      'network',
      /could not be reached/,
    ],
    [{ gitErrorCode: 'PushRejected', stderr: ' ! [rejected] main -> main (fetch first)' }, 'failed', /rejected/],
    [{ stderr: 'fatal: something else went wrong' }, 'failed', /something else went wrong/],
  ];
  for (const [failure, kind, says] of cases) {
    it(`reads ${failure.gitErrorCode ?? 'an unknown failure'} as ${kind}`, () => {
      const error = pushError(Object.assign(new Error('Failed to execute git'), failure), target);
      assert.equal(error.kind, kind);
      assert.match(error.message, /^acme\/new-repo was created on Bitbucket, but the push failed: /);
      assert.match(error.message, says);
      assert.ok(!(error.detail ?? '').includes('SECRET'), 'user info stripped from URLs');
    });
  }
});
