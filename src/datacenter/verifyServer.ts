/**
 * Checks a Bitbucket Data Center server and an HTTP access token before anything is kept, and says exactly
 * what is wrong when it fails: the address is not reachable, its certificate is not trusted, it is not Bitbucket
 * Data Center, the token is refused, or the token reaches nothing. Also finds whose token it is: a user's
 * (personal), or one made for a project or a repository. No `vscode` import.
 */
import { personalTokenLabel, projectTokenLabel, repositoryTokenLabel } from '../auth/accountLabels';
import { BitbucketError, isBitbucketError } from '../bitbucket/errors';
import { t } from '../common/l10n';
import { serverLabel } from '../common/urls';
import type { RepositoryRef } from '../host/types';
import { DataCenterClient, DataCenterClientOptions } from './dataCenterClient';
import { DataCenterCredential, DataCenterTokenScope, normaliseServerUrl, restRoot } from './dataCenterCredential';
import { DcApplicationProperties, DcProject, DcRepository, DcUser } from './dataCenterSchemas';

/** Who a Data Center token belongs to, as the Accounts menu shows it. Never holds the secret. */
export interface DataCenterAccountSummary {
  /** `dc:{server}:{user slug}`, `dc:{server}:project:{KEY}` or `dc:{server}:repository:{KEY}/{slug}`. */
  readonly id: string;
  /** `DC User (bitbucket.example.com)`, `Project token for PLAT (…)`, `Repository token for APPS/web-app (…)`. */
  readonly label: string;
  readonly kind: 'dataCenterToken';
  readonly serverUrl: string;
  readonly tokenScope: DataCenterTokenScope;
  /** Personal tokens: the user name (git's Basic user) and display name. */
  readonly username?: string;
  readonly displayName?: string;
  /** Project and repository tokens: the one project they work in. */
  readonly projectKey?: string;
  /** Repository tokens: the one repository. */
  readonly repository?: RepositoryRef;
  /** Bitbucket's version, from application-properties, e.g. `9.2.4`. */
  readonly version: string;
  /** The token reads repositories but may push to none it reaches: kept, with `warning` to show. */
  readonly readOnly: boolean;
  /** Something to tell the user although the token was accepted. */
  readonly warning?: string;
}

export interface VerifiedDataCenter {
  readonly account: DataCenterAccountSummary;
  /** What to keep: the server's normalised address, the token, and what the check found out about it. */
  readonly credential: DataCenterCredential;
}

export type VerifyDataCenterOptions = Omit<DataCenterClientOptions, 'serverUrl' | 'token'> & { readonly signal?: AbortSignal };

/**
 * Checks, in order: the address (normalised; https unless this computer), that it is Bitbucket Data Center
 * (`application-properties` answers JSON naming a version, without a token), that the token is accepted and
 * reaches something, and whose it is (the `X-AUSERNAME` header and `/users` for a personal token; a project
 * token reads exactly one project, a repository token exactly one repository). Throws a BitbucketError with
 * the sentence to show.
 */
export async function verifyDataCenter(
  serverUrl: string,
  token: string,
  options: VerifyDataCenterOptions = {},
): Promise<VerifiedDataCenter> {
  const { signal, ...http } = options;
  const server = normaliseServerUrl(serverUrl);
  const secret = token.trim();
  if (/^(?:api\.)?bitbucket\.org$/.test(new URL(server).hostname)) {
    throw new BitbucketError(
      'badRequest',
      t('bitbucket.org is Bitbucket Cloud, not Data Center: sign in to it with an Atlassian API token instead.'),
    );
  }
  if (!secret) {
    throw new BitbucketError(
      'badRequest',
      t('Enter an HTTP access token (in Bitbucket: your avatar → Manage account → HTTP access tokens).'),
    );
  }
  const properties = await checkServer(server, secret, http, signal);
  const client = new DataCenterClient({ ...http, serverUrl: server, token: secret });

  let username: string | undefined;
  const onHeaders = (headers: { get(name: string): string | null }) => (username ??= headers.get('x-ausername') ?? undefined);
  const first = await client.projects({ permission: 'PROJECT_READ', limit: 2, signal, onHeaders }).next();
  const projects: readonly DcProject[] = first.done ? [] : first.value.values;
  const [readable, writable] = await Promise.all([
    client.permittedRepositories('REPO_READ', 2, signal),
    client.permittedRepositories('REPO_WRITE', 1, signal),
  ]);
  const user = username ? await findUser(client, username, signal) : undefined;
  const identity = whose(user, username, projects, readable.page.values);
  if (!identity) {
    throw new BitbucketError(
      'forbidden',
      t(
        'Bitbucket Data Center at {0} accepted the token, but it reaches no project or repository. Give it at least Project read or Repository read permission (or create one that has it) and sign in again.',
        serverLabel(server),
      ),
    );
  }
  const readOnly = readable.page.values.length > 0 && writable.page.values.length === 0;
  const reachesNothing = projects.length === 0 && readable.page.values.length === 0;
  const warning = readOnly
    ? t(
        'This token can read but not write: pushing and creating repositories will be refused. Create a token with write permission for those.',
      )
    : reachesNothing
      ? t('This token reaches no project or repository yet: only your personal project will show.')
      : undefined;
  return summarise(server, secret, properties, identity, readOnly, warning);
}

type Identity =
  | { scope: 'personal'; username?: string; user?: DcUser }
  | { scope: 'project'; projectKey: string }
  | { scope: 'repository'; projectKey: string; slug: string };

/**
 * Whose the token is. A user Data Center names (and lists as a normal user) makes it personal; otherwise a
 * token that reads exactly one project is a project token, exactly one repository a repository token. A token
 * that reaches more without naming a user (a proxy may drop the header) is taken as personal, used as Bearer.
 */
function whose(
  user: DcUser | undefined,
  username: string | undefined,
  projects: readonly DcProject[],
  readable: readonly DcRepository[],
): Identity | undefined {
  if (user && user.type !== 'SERVICE') return { scope: 'personal', username: user.name, user };
  if (projects.length === 1) return { scope: 'project', projectKey: projects[0].key };
  if (readable.length === 1) return { scope: 'repository', projectKey: readable[0].project.key, slug: readable[0].slug };
  if (username) return { scope: 'personal', username };
  if (projects.length === 0 && readable.length === 0) return undefined;
  return { scope: 'personal' };
}

function summarise(
  server: string,
  token: string,
  properties: DcApplicationProperties,
  identity: Identity,
  readOnly: boolean,
  warning: string | undefined,
): VerifiedDataCenter {
  const where = serverLabel(server);
  const common = { kind: 'dataCenterToken' as const, serverUrl: server, version: properties.version, readOnly, warning };
  if (identity.scope === 'project') {
    const { projectKey } = identity;
    return {
      account: {
        ...common,
        id: `dc:${server}:project:${projectKey}`,
        label: projectTokenLabel(projectKey, where),
        tokenScope: 'project',
        projectKey,
      },
      credential: { kind: 'dataCenterToken', serverUrl: server, token, tokenScope: 'project', projectKey },
    };
  }
  if (identity.scope === 'repository') {
    const { projectKey, slug } = identity;
    return {
      account: {
        ...common,
        id: `dc:${server}:repository:${projectKey}/${slug}`,
        label: repositoryTokenLabel(projectKey, slug, where),
        tokenScope: 'repository',
        projectKey,
        repository: { container: projectKey, slug },
      },
      credential: { kind: 'dataCenterToken', serverUrl: server, token, tokenScope: 'repository', projectKey, repositorySlug: slug },
    };
  }
  const { username, user } = identity;
  const displayName = user?.displayName ?? username;
  return {
    account: {
      ...common,
      id: `dc:${server}:${user?.slug ?? username ?? 'token'}`,
      label: displayName !== undefined ? `${displayName} (${where})` : personalTokenLabel(where),
      tokenScope: 'personal',
      username,
      displayName,
    },
    credential: { kind: 'dataCenterToken', serverUrl: server, token, tokenScope: 'personal', username, userSlug: user?.slug },
  };
}

/** The user a personal token belongs to, by exact user name; undefined where users cannot be listed. */
async function findUser(client: DataCenterClient, username: string, signal?: AbortSignal): Promise<DcUser | undefined> {
  try {
    const users = await client.users(username, signal);
    return users.find((user) => user.name.toLowerCase() === username.toLowerCase());
  } catch (error) {
    if (isBitbucketError(error, 'forbidden') || isBitbucketError(error, 'notFound')) return undefined;
    throw error;
  }
}

/**
 * `application-properties`, asked without a token (it needs none) so that a refused token is not mistaken for
 * a wrong address; asked again with the token where a server or its proxy wants every request signed in.
 */
async function checkServer(
  server: string,
  token: string,
  http: Omit<DataCenterClientOptions, 'serverUrl' | 'token'>,
  signal?: AbortSignal,
): Promise<DcApplicationProperties> {
  try {
    return await new DataCenterClient({ ...http, serverUrl: server }).applicationProperties(signal);
  } catch (error) {
    if (!isBitbucketError(error, 'unauthorized')) throw notBitbucket(server, error);
  }
  try {
    return await new DataCenterClient({ ...http, serverUrl: server, token }).applicationProperties(signal);
  } catch (error) {
    throw notBitbucket(server, error);
  }
}

/** Failures that say the address is not Bitbucket Data Center, in those words; others (network, TLS, refused token) as they are. */
function notBitbucket(server: string, error: unknown): unknown {
  if (!(error instanceof BitbucketError)) return error;
  const status = error.status ?? 0;
  const label = serverLabel(server);
  const message =
    error.kind === 'notJson'
      ? t(
          "{0} is not a Bitbucket Data Center server: it answered with a web page (HTTP {1}), not Bitbucket's REST API. Enter the address you open Bitbucket at in the browser, such as https://bitbucket.example.com, with its path if it has one (such as /bitbucket).",
          label,
          status,
        )
      : error.kind === 'notFound'
        ? t(
            '{0} is not a Bitbucket Data Center server: it has no Bitbucket REST API at {1} (HTTP 404). Enter the address you open Bitbucket at in the browser, such as https://bitbucket.example.com, with its path if it has one (such as /bitbucket).',
            label,
            restRoot(server),
          )
        : error.kind === 'invalidResponse' && !(status >= 300 && status < 400)
          ? t(
              '{0} is not a Bitbucket Data Center server: its answer does not name a Bitbucket version. Enter the address you open Bitbucket at in the browser, such as https://bitbucket.example.com, with its path if it has one (such as /bitbucket).',
              label,
            )
          : error.kind === 'badRequest' || error.kind === 'forbidden' || error.kind === 'gone'
            ? t(
                "{0} is not a Bitbucket Data Center server: it refused Bitbucket's application-properties request (HTTP {1}). Enter the address you open Bitbucket at in the browser, such as https://bitbucket.example.com, with its path if it has one (such as /bitbucket).",
                label,
                status,
              )
            : undefined;
  if (!message) return error;
  return new BitbucketError('invalidResponse', message, {
    status: error.status,
    endpoint: error.endpoint,
    detail: error.message,
    cause: error,
  });
}
