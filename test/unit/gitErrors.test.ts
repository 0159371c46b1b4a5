import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { answerFor } from '../../src/git/askpassServer';
import { classify } from '../../src/git/gitClone';
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
    ["error: cannot run /ext/dist/askpass-bash.sh: Permission denied\nfatal: could not read Password for 'https://x@bitbucket.org': No such device or address", 'askpass'],
    ['fatal: something unexpected', 'failed'],
    ["warning: templates not found in /usr/share/git-core/templates\nfatal: unable to access 'https://bitbucket.org/a/b.git/': Could not resolve host: bitbucket.org", 'network'],
  ];
  for (const [stderr, kind] of cases) {
    it(`reads ${kind} from "${stderr.split('\n').at(-1)}"`, () => {
      const error = classify(stderr);
      assert.equal(error.kind, kind);
      assert.ok(error.message.length > 20);
    });
  }

  it('strips user info from URLs in the detail it keeps', () => {
    const error = classify("fatal: Authentication failed for 'https://x-token-auth:SECRET@bitbucket.org/acme/api.git/'");
    assert.ok(!error.detail!.includes('SECRET'));
  });
});

describe('askpass answers', () => {
  const answer = answerFor('127.0.0.1:7990', 'x-bitbucket-api-token-auth', 'ATATT-secret');
  it('gives the user name and then the token for the repository host', () => {
    assert.equal(answer("Username for 'http://127.0.0.1:7990': "), 'x-bitbucket-api-token-auth');
    assert.equal(answer("Password for 'http://x-bitbucket-api-token-auth@127.0.0.1:7990': "), 'ATATT-secret');
  });
  it('gives nothing to another host, another user, or an unknown prompt', () => {
    assert.equal(answer("Username for 'https://github.com': "), undefined);
    assert.equal(answer("Password for 'http://someone-else@127.0.0.1:7990': "), undefined);
    assert.equal(answer('Are you sure you want to continue connecting (yes/no)? '), undefined);
  });
});

describe('a failed push after create', () => {
  const target = { full_name: 'acme/new-repo' } as Parameters<typeof pushError>[1];
  const cases: Array<[Record<string, string>, string, RegExp]> = [
    [{ gitErrorCode: 'AuthenticationFailed', stderr: "fatal: Authentication failed for 'https://x:SECRET@bitbucket.org/acme/new-repo.git/'" }, 'authentication', /write:repository:bitbucket/],
    [{ gitErrorCode: 'PermissionDenied', stderr: 'remote: Forbidden' }, 'forbidden', /403/],
    [{ gitErrorCode: 'RemoteConnectionError', stderr: 'fatal: unable to access: Could not resolve host: bitbucket.org' }, 'network', /could not be reached/],
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
