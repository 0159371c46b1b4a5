import { DcProjectSeed, DcRepositorySeed, DcUser, hierarchyId, USERS } from './seed';

/**
 * JSON shaped like Data Center's RestProject, RestRepository, RestApplicationUser, RestBranch, RestTag,
 * RestMinimalRef and RestPath. Field order and link shapes follow captured real responses (Atlassian's own
 * Jenkins plugin fixtures): links are arrays of `{href}` (`clone` entries also carry `name`), clone URLs
 * use the lower-case project key, ssh goes to port 7999.
 */
export interface Urls {
  /** http://127.0.0.1:PORT plus the context path, e.g. http://127.0.0.1:PORT/bitbucket */
  base: string;
  /** 127.0.0.1 (the host for ssh links). */
  host: string;
  /** The user name to put in http clone links (an authenticated user's), if any. */
  cloneUser?: string;
}

export const SSH_PORT = 7999;

type Link = { href: string };

function owner(project: DcProjectSeed): DcUser | undefined {
  return project.owner === undefined ? undefined : USERS.find((user) => user.name === project.owner);
}

export function userJson(user: DcUser, urls: Urls): Record<string, unknown> {
  return {
    name: user.name,
    emailAddress: user.emailAddress,
    active: true,
    displayName: user.displayName,
    id: user.id,
    slug: user.slug,
    type: 'NORMAL',
    links: { self: [{ href: `${urls.base}/users/${user.slug}` }] },
  };
}

/** Where a project lives in the web UI: `/projects/KEY`, or `/users/{slug}` for a personal project. */
export function projectWebUrl(project: DcProjectSeed, urls: Urls): string {
  const user = owner(project);
  return user ? `${urls.base}/users/${user.slug}` : `${urls.base}/projects/${encodeURIComponent(project.key)}`;
}

export function repositoryWebUrl(project: DcProjectSeed, repository: DcRepositorySeed, urls: Urls): string {
  const user = owner(project);
  const container = user ? `${urls.base}/users/${user.slug}` : `${urls.base}/projects/${encodeURIComponent(project.key)}`;
  return `${container}/repos/${repository.slug}/browse`;
}

export function projectJson(project: DcProjectSeed, urls: Urls): Record<string, unknown> {
  const user = owner(project);
  return {
    key: project.key,
    id: project.id,
    name: project.name,
    ...(project.description === undefined ? {} : { description: project.description }),
    public: project.public,
    type: project.type,
    ...(user ? { owner: userJson(user, urls) } : {}),
    links: { self: [{ href: projectWebUrl(project, urls) }] },
  };
}

export function cloneUrl(project: DcProjectSeed, repository: DcRepositorySeed, urls: Urls): string {
  const base = new URL(urls.base);
  const userInfo = urls.cloneUser ? `${encodeURIComponent(urls.cloneUser)}@` : '';
  return `${base.protocol}//${userInfo}${base.host}${base.pathname.replace(/\/$/, '')}/scm/${project.key.toLowerCase()}/${repository.slug}.git`;
}

export function repositoryJson(project: DcProjectSeed, repository: DcRepositorySeed, urls: Urls): Record<string, unknown> {
  const clone: Array<Link & { name: string }> = [
    { href: cloneUrl(project, repository, urls), name: 'http' },
    { href: `ssh://git@${urls.host}:${SSH_PORT}/${project.key.toLowerCase()}/${repository.slug}.git`, name: 'ssh' },
  ];
  return {
    slug: repository.slug,
    id: repository.id,
    name: repository.name,
    ...(repository.description === undefined ? {} : { description: repository.description }),
    hierarchyId: hierarchyId(repository),
    scmId: 'git',
    state: 'AVAILABLE',
    statusMessage: 'Available',
    forkable: repository.forkable,
    project: projectJson(project, urls),
    public: repository.public,
    archived: repository.archived,
    links: { clone, self: [{ href: repositoryWebUrl(project, repository, urls) }] },
  };
}

/** RestBranch as servers send it (`isDefault`; the OpenAPI's generated schema calls it `default`). */
export function branchJson(name: string, commit: string, isDefault: boolean): Record<string, unknown> {
  return { id: `refs/heads/${name}`, displayId: name, type: 'BRANCH', latestCommit: commit, latestChangeset: commit, isDefault };
}

/** RestTag: `hash` is the tag object's id, for annotated tags only. */
export function tagJson(name: string, commit: string, tagObject?: string): Record<string, unknown> {
  return {
    id: `refs/tags/${name}`,
    displayId: name,
    type: 'TAG',
    latestCommit: commit,
    latestChangeset: commit,
    ...(tagObject === undefined ? {} : { hash: tagObject }),
  };
}

/** RestPath: `{components, parent, name, extension?, toString}`; the root is `{components: [], name: '', toString: ''}`. */
export function pathJson(components: readonly string[]): Record<string, unknown> {
  if (components.length === 0) {
    return { components: [], name: '', toString: '' };
  }
  const name = components[components.length - 1];
  const dot = name.lastIndexOf('.');
  return {
    components: [...components],
    parent: components.slice(0, -1).join('/'),
    name,
    ...(dot > 0 && dot < name.length - 1 ? { extension: name.slice(dot + 1) } : {}),
    toString: components.join('/'),
  };
}
