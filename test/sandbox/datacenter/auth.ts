import { parseAuthorization } from '../auth';
import { DcToken, DcUser } from './seed';

/**
 * Who a Data Center request is, as Atlassian's "HTTP access tokens" page describes it:
 * - personal tokens as `Authorization: Bearer <token>` or as Basic `<user name>:<token>` (the owner's name);
 * - project and repository tokens only as Bearer ("Don't use this token with a username in Basic
 *   authentication"): Basic with any user name is refused;
 * - expired, revoked or unknown tokens are refused (401), and so is any other scheme.
 * The same rules apply to the REST API and to git over HTTP.
 */
export type DcCredential =
  | { kind: 'anonymous' }
  /** `token`: the seeded token the request carried but may not use (expired, revoked, wrong user, wrong scheme). */
  | { kind: 'invalid'; scheme: 'basic' | 'bearer' | 'none'; token?: DcToken }
  /** `user`: the owner, for personal tokens. */
  | { kind: 'token'; scheme: 'basic' | 'bearer'; token: DcToken; user?: DcUser };

/** Looks tokens up and remembers which were revoked since the last reset (per sandbox, not per process). */
export class DcAuthenticator {
  private readonly revoked = new Set<string>();
  private readonly bySecret: ReadonlyMap<string, DcToken>;

  constructor(
    tokens: readonly DcToken[],
    private readonly users: readonly DcUser[],
  ) {
    this.bySecret = new Map(tokens.map((token) => [token.token, token]));
  }

  revoke(secret: string): void {
    this.revoked.add(secret);
  }

  restore(): void {
    this.revoked.clear();
  }

  authenticate(header: string | undefined): DcCredential {
    const authorization = parseAuthorization(header);
    if (!authorization) {
      return { kind: 'anonymous' };
    }
    if (authorization.scheme === 'other') {
      return { kind: 'invalid', scheme: 'none' };
    }
    const secret = authorization.scheme === 'basic' ? authorization.password : authorization.token;
    const token = this.bySecret.get(secret);
    const refuse = (): DcCredential =>
      token ? { kind: 'invalid', scheme: authorization.scheme, token } : { kind: 'invalid', scheme: authorization.scheme };
    if (!token || token.expired || this.revoked.has(secret)) {
      return refuse();
    }
    const owner = token.owner === undefined ? undefined : this.users.find((user) => user.name === token.owner);
    if (authorization.scheme === 'basic') {
      // Only a personal token goes with a user name, and only with its owner's (Bitbucket user names ignore case).
      if (!owner || authorization.user.toLowerCase() !== owner.name.toLowerCase()) {
        return refuse();
      }
    }
    return owner
      ? { kind: 'token', scheme: authorization.scheme, token, user: owner }
      : { kind: 'token', scheme: authorization.scheme, token };
  }
}

/**
 * How the request log names a credential, never by its secret: `user` is the owner's user name for a
 * personal token or the token's name for a project or repository token, set only when accepted;
 * `credential` is the seeded token's name, also when it was refused.
 */
export function dcLogIdentity(credential: DcCredential): { auth: 'basic' | 'bearer' | 'none'; user?: string; credential?: string } {
  switch (credential.kind) {
    case 'token':
      return { auth: credential.scheme, user: credential.user?.name ?? credential.token.name, credential: credential.token.name };
    case 'invalid':
      return credential.token ? { auth: credential.scheme, credential: credential.token.name } : { auth: credential.scheme };
    case 'anonymous':
      return { auth: 'none' };
  }
}
