import { createHash } from 'crypto';
import { ApiRequest, ApiResult, ApiState, filterAndSort, Handler, visibleRepository } from './api-handlers';
import { apiError } from './errors';
import { BlobFacts, CommitObject, formatGitDate, GitRef, Signature, TagObject, TreeEntry } from './git-read';
import { parsePageRequest, paginate } from './pagination';
import { FieldTypes, FlatRecord } from './query';
import { embeddedUserJson } from './representations';
import { RepositoryRecord, WorkspaceSeed } from './seed';

/**
 * Browsing without cloning: the 2.0 `src` endpoints (root redirect, directory listings, file metadata, raw
 * file contents) and the `refs` endpoints (branches and tags), read from the real bare repositories.
 *
 * Shapes follow the spec's `paginated_treeentries`, `commit_file`, `treeentry` (its `commit_directory`
 * objects), `paginated_branches`, `branch`, `paginated_tags` and `tag` definitions, and the narrative of
 * GET /repositories/{workspace}/{repo_slug}/src/{commit}/{path}: `attributes` is a list (`link`,
 * `executable`, `subrepository`, `binary`, `lfs`) as the narrative's examples show, although the definition
 * says string; `commit` is the commit the URL named, not the one that last changed the entry.
 */
type Json = Record<string, unknown>;

/** Bitbucket names commits by at least 7 hex digits (the spec's hash pattern). */
const HASH = /^[0-9a-f]{7,40}$/;
const MERGE_STRATEGIES = ['merge_commit', 'squash', 'fast_forward', 'squash_fast_forward', 'rebase_fast_forward', 'rebase_merge'];

interface Context {
  workspace: WorkspaceSeed;
  repository: RepositoryRecord;
  gitDir: string;
  state: ApiState;
  /** https://.../2.0/repositories/{workspace}/{slug} */
  api: string;
  /** http://127.0.0.1:PORT/{workspace}/{slug} */
  html: string;
}

/** The repository, if the caller may see it, with its git data built. */
async function open(request: ApiRequest, state: ApiState, workspaceId: string, repositoryId: string): Promise<Context> {
  const { workspace, repository } = visibleRepository(request, state, workspaceId, repositoryId);
  await state.git.repositories.ensure(repository);
  const fullName = `${encodeURIComponent(workspace.slug)}/${encodeURIComponent(repository.slug)}`;
  return {
    workspace,
    repository,
    gitDir: state.git.repositories.pathOf(workspace.slug, repository.slug),
    state,
    api: `${state.base.apiUrl}/repositories/${fullName}`,
    html: `${state.base.url}/${fullName}`,
  };
}

/** Each segment percent-encoded, the slashes kept: `docs/th%C3%A9%20caf%C3%A9.md`, `release/1.0`. */
function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

const link = (href: string): Json => ({ href });

// ---- resolving what the URL names ----

/**
 * `{commit}` in /src/{commit}/{path}: a branch, then a tag, then a full or abbreviated (7+ hex digits) hash;
 * one path segment, so a branch with a slash in its name (release/1.0) must be named by its hash, as
 * `target.hash` gives it.
 */
async function resolveCommit(context: Context, name: string): Promise<string> {
  const reader = context.state.git.reader;
  const notFound = (): never => {
    throw apiError(404, `Commit not found: ${name}`);
  };
  if (name === '' || name.includes('/') || name.startsWith('-')) {
    notFound();
  }
  if (name.length === 40 && HASH.test(name)) {
    return (await reader.resolveHash(context.gitDir, name)) ?? notFound();
  }
  const refs = await reader.refs(context.gitDir);
  const ref =
    refs.find((candidate) => candidate.kind === 'branch' && candidate.name === name) ?? refs.find((candidate) => candidate.name === name);
  if (ref) {
    return ref.commit;
  }
  if (HASH.test(name)) {
    return (await reader.resolveHash(context.gitDir, name)) ?? notFound();
  }
  return notFound();
}

/**
 * The path after the commit, split into segments. Empty, `.` and `..` segments, NUL bytes and overlong paths
 * are refused (404: no tree entry has such a path), so nothing can climb out of the tree or reach git's
 * `./` and `../` path syntax.
 */
function pathSegments(path: string): string[] {
  if (path === '') {
    return [];
  }
  const segments = path.split('/');
  if (path.length > 4096 || segments.some((segment) => segment === '' || segment === '.' || segment === '..' || segment.includes('\0'))) {
    throw apiError(404, `No such file or directory: ${path}`);
  }
  return segments;
}

/** The entry a path names at a commit (the root tree for the empty path); 404 when there is none. */
async function lookUp(context: Context, hash: string, segments: string[]): Promise<{ entry: TreeEntry; path: string }> {
  const path = segments.join('/');
  if (segments.length === 0) {
    return { entry: { mode: '040000', type: 'tree', oid: `${hash}^{tree}`, name: '' }, path };
  }
  const parent = segments.slice(0, -1).join('/');
  const entries = await context.state.git.reader.listTree(context.gitDir, parent === '' ? `${hash}^{tree}` : `${hash}:${parent}`);
  const entry = entries?.find((candidate) => candidate.name === segments[segments.length - 1]);
  if (!entry) {
    throw apiError(404, `No such file or directory: ${path}`);
  }
  return { entry, path };
}

// ---- tree entries as JSON ----

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  svg: 'image/svg+xml',
  webp: 'image/webp',
  ico: 'image/x-icon',
  bmp: 'image/bmp',
  pdf: 'application/pdf',
  zip: 'application/zip',
  gz: 'application/gzip',
  json: 'application/json',
  html: 'text/html',
  htm: 'text/html',
  css: 'text/css',
};

const TEXT_EXTENSIONS = new Set(
  (
    'txt md markdown rst ts tsx js jsx mjs cjs py java go kt rs cs rb php scala sh bash zsh yml yaml toml ini cfg conf xml csv ' +
    'sql c h cpp hpp swift gradle properties log env gitignore gitattributes gitmodules editorconfig'
  ).split(' '),
);

/** From the file name's extension only, as the spec says (`.gitignore` counts as extension `gitignore`); undefined if unknown. */
export function mimeTypeOf(path: string): string | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  const extension = dot < 0 ? '' : name.slice(dot + 1).toLowerCase();
  return CONTENT_TYPES[extension] ?? (TEXT_EXTENSIONS.has(extension) ? 'text/plain' : undefined);
}

const C_ESCAPES: Readonly<Record<number, string>> = { 7: 'a', 8: 'b', 9: 't', 10: 'n', 11: 'v', 12: 'f', 13: 'r', 0x22: '"', 0x5c: '\\' };

/** The path as git quotes it in a diff header: unchanged, or in double quotes with C escapes and octal UTF-8 bytes. */
export function escapePath(path: string): string {
  let quoted = '';
  let needsQuotes = false;
  for (const byte of Buffer.from(path, 'utf8')) {
    if (C_ESCAPES[byte] !== undefined) {
      quoted += `\\${C_ESCAPES[byte]}`;
      needsQuotes = true;
    } else if (byte < 0x20 || byte >= 0x7f) {
      quoted += `\\${byte.toString(8).padStart(3, '0')}`;
      needsQuotes = true;
    } else {
      quoted += String.fromCharCode(byte);
    }
  }
  return needsQuotes ? `"${quoted}"` : path;
}

/** In the order the spec's enum lists them. */
function attributesOf(entry: TreeEntry, facts: BlobFacts | undefined): string[] {
  const attributes: string[] = [];
  if (entry.mode === '120000') attributes.push('link');
  if (entry.mode === '100755') attributes.push('executable');
  if (entry.type === 'commit') attributes.push('subrepository');
  if (facts?.binary) attributes.push('binary');
  if (facts?.lfs) attributes.push('lfs');
  return attributes;
}

/** A submodule's "contents" are the hash of the commit it points at. */
function sizeOf(entry: TreeEntry, facts: BlobFacts | undefined): number {
  if (entry.type === 'commit') {
    return entry.oid.length;
  }
  return facts?.lfs?.size ?? entry.size ?? 0;
}

function commitReference(context: Context, hash: string): Json {
  return { type: 'commit', hash, links: { self: link(`${context.api}/commit/${hash}`), html: link(`${context.html}/commits/${hash}`) } };
}

function fileJson(context: Context, hash: string, path: string, entry: TreeEntry, facts: BlobFacts | undefined): Json {
  const self = `${context.api}/src/${hash}/${encodePath(path)}`;
  return {
    type: 'commit_file',
    path,
    escaped_path: escapePath(path),
    size: sizeOf(entry, facts),
    mimetype: mimeTypeOf(path) ?? null,
    attributes: attributesOf(entry, facts),
    commit: commitReference(context, hash),
    links: {
      self: link(self),
      meta: link(`${self}?format=meta`),
      history: link(`${context.api}/filehistory/${hash}/${encodePath(path)}`),
    },
  };
}

function directoryJson(context: Context, hash: string, path: string): Json {
  const self = `${context.api}/src/${hash}/${path === '' ? '' : `${encodePath(path)}/`}`;
  return {
    type: 'commit_directory',
    path,
    commit: commitReference(context, hash),
    links: { self: link(self), meta: link(`${self}?format=meta`) },
  };
}

interface Listed {
  entry: TreeEntry;
  path: string;
}

/** What `q` and `sort` can use on a directory listing (the narrative's example: `size > 1024 and attributes = "binary"`). */
const TREE_ENTRY_FIELDS: FieldTypes = {
  path: 'string',
  type: 'string',
  size: 'number',
  attributes: 'string',
  mimetype: 'string',
  escaped_path: 'string',
  'commit.hash': 'string',
};

function treeEntryRecord(listed: Listed, hash: string, facts: Map<string, BlobFacts>): FlatRecord {
  const { entry, path } = listed;
  if (entry.type === 'tree') {
    return { path, type: 'commit_directory', 'commit.hash': hash };
  }
  const blobFacts = facts.get(entry.oid);
  return {
    path,
    type: 'commit_file',
    size: sizeOf(entry, blobFacts),
    attributes: attributesOf(entry, blobFacts),
    mimetype: mimeTypeOf(path) ?? null,
    escaped_path: escapePath(path),
    'commit.hash': hash,
  };
}

function parseMaxDepth(query: URLSearchParams): number {
  const text = query.get('max_depth');
  if (text === null) {
    return 1;
  }
  if (!/^\d+$/.test(text) || Number(text) < 1) {
    throw apiError(400, 'Invalid max_depth', { detail: 'max_depth must be a positive integer' });
  }
  return Number(text);
}

/** The directory's entries, then (breadth first, up to `maxDepth` levels) those of its subdirectories. */
async function walk(context: Context, tree: TreeEntry, path: string, maxDepth: number): Promise<Listed[]> {
  const listed: Listed[] = [];
  let level: Listed[] = [{ entry: tree, path }];
  for (let depth = 1; depth <= maxDepth && level.length > 0; depth++) {
    const next: Listed[] = [];
    for (const directory of level) {
      const entries = (await context.state.git.reader.listTree(context.gitDir, directory.entry.oid)) ?? [];
      for (const entry of entries) {
        const child = { entry, path: directory.path === '' ? entry.name : `${directory.path}/${entry.name}` };
        listed.push(child);
        if (entry.type === 'tree') {
          next.push(child);
        }
      }
    }
    level = next;
  }
  return listed;
}

async function listDirectory(request: ApiRequest, context: Context, hash: string, tree: TreeEntry, path: string): Promise<ApiResult> {
  const page = parsePageRequest(request.query);
  const maxDepth = parseMaxDepth(request.query);
  const listed = await walk(context, tree, path, maxDepth);
  const blobs = listed.filter(({ entry }) => entry.type === 'blob').map(({ entry }) => entry.oid);
  const facts = await context.state.git.reader.blobFacts(context.gitDir, blobs);
  const ordered = filterAndSort(listed, request.query, TREE_ENTRY_FIELDS, (item) => treeEntryRecord(item, hash, facts));
  return {
    status: 200,
    body: paginate(ordered, page, request.url, ({ entry, path: entryPath }) =>
      entry.type === 'tree' ? directoryJson(context, hash, entryPath) : fileJson(context, hash, entryPath, entry, facts.get(entry.oid)),
    ),
  };
}

/** Raw bytes: Content-Type from the extension (no charset: Bitbucket does not recode), attachment, an ETag of content and attributes. */
async function rawFile(
  request: ApiRequest,
  context: Context,
  path: string,
  entry: TreeEntry,
  facts: BlobFacts | undefined,
): Promise<ApiResult> {
  if (facts?.lfs) {
    // Bitbucket redirects LFS files to its media platform; the sandbox's is /_media/lfs/{sha256}.
    return {
      status: 301,
      body: undefined,
      raw: Buffer.alloc(0),
      headers: { location: `${context.state.base.url}/_media/lfs/${facts.lfs.oid}` },
    };
  }
  const attributes = attributesOf(entry, facts);
  const etag = `"${createHash('sha1')
    .update(`${attributes.join(',')}\0${entry.oid}`)
    .digest('hex')}"`;
  const headers: Record<string, string> = { etag, 'content-disposition': 'attachment' };
  if (request.headers['if-none-match'] === etag) {
    return { status: 304, body: undefined, raw: Buffer.alloc(0), headers };
  }
  const bytes = entry.type === 'commit' ? Buffer.from(entry.oid) : await context.state.git.reader.readBlob(context.gitDir, entry.oid);
  headers['content-type'] = mimeTypeOf(path) ?? 'application/octet-stream';
  headers['content-length'] = String(bytes.length);
  return { status: 200, body: undefined, raw: bytes, headers };
}

/** GET /repositories/{workspace}/{slug}/src: redirects to the root directory at the main branch's head, query kept. */
export const getSourceRoot: Handler = async (request, [workspaceId, repositoryId], state) => {
  const context = await open(request, state, workspaceId, repositoryId);
  const refs = await state.git.reader.refs(context.gitDir);
  const main = refs.find((ref) => ref.kind === 'branch' && ref.name === context.repository.mainBranch);
  if (!main) {
    throw apiError(404, `The main branch ${context.repository.mainBranch} has no commits`);
  }
  return {
    status: 302,
    body: undefined,
    raw: Buffer.alloc(0),
    headers: { location: `${context.api}/src/${main.commit}/${request.url.search}` },
  };
};

/**
 * GET /repositories/{workspace}/{slug}/src/{commit}/{path}: a directory's paginated entries (`max_depth`, `q`,
 * `sort`), a file's raw bytes, or with `format=meta` either one's JSON object. The root needs the trailing
 * slash (`/src/{commit}/`), as the spec says.
 */
export const getSource: Handler = async (request, [workspaceId, repositoryId, commit, rawPath], state) => {
  const context = await open(request, state, workspaceId, repositoryId);
  const format = request.query.get('format');
  if (format !== null && format !== 'meta') {
    throw apiError(400, `Unsupported format: ${format}`, { detail: 'The sandbox serves format=meta only.' });
  }
  const path = rawPath ?? '';
  if (path === '' && !request.url.pathname.endsWith('/')) {
    throw apiError(404, 'No such file or directory: add a trailing slash to list the root directory');
  }
  const segments = pathSegments(path);
  const hash = await resolveCommit(context, commit);
  const { entry, path: entryPath } = await lookUp(context, hash, segments);
  if (entry.type === 'tree') {
    return format === 'meta'
      ? { status: 200, body: directoryJson(context, hash, entryPath) }
      : listDirectory(request, context, hash, entry, entryPath);
  }
  const facts = entry.type === 'blob' ? (await state.git.reader.blobFacts(context.gitDir, [entry.oid])).get(entry.oid) : undefined;
  return format === 'meta'
    ? { status: 200, body: fileJson(context, hash, entryPath, entry, facts) }
    : rawFile(request, context, entryPath, entry, facts);
};

// ---- branches and tags ----

function authorJson(context: Context, signature: Signature): Json {
  const user = context.state.store.world.users.find((candidate) => candidate.email.toLowerCase() === signature.email.toLowerCase());
  const author: Json = { type: 'author', raw: `${signature.name} <${signature.email}>` };
  if (user) {
    author.user = embeddedUserJson(user, context.state.base);
  }
  return author;
}

function commitJson(context: Context, commit: CommitObject): Json {
  const { repository, workspace } = context;
  return {
    type: 'commit',
    hash: commit.hash,
    date: formatGitDate(commit.author),
    author: authorJson(context, commit.author),
    message: commit.message,
    links: { self: link(`${context.api}/commit/${commit.hash}`), html: link(`${context.html}/commits/${commit.hash}`) },
    parents: commit.parents.map((parent) => commitReference(context, parent)),
    repository: {
      type: 'repository',
      full_name: `${workspace.slug}/${repository.slug}`,
      name: repository.name,
      uuid: repository.uuid,
      links: {
        self: link(context.api),
        html: link(context.html),
        avatar: link(`${context.state.base.url}/_avatar/repository/${encodeURIComponent(repository.uuid)}.svg`),
      },
    },
  };
}

interface RefDetails {
  ref: GitRef;
  commit: CommitObject;
  tag?: TagObject;
}

function branchJson(context: Context, { ref, commit }: RefDetails): Json {
  const name = encodePath(ref.name);
  return {
    type: 'branch',
    name: ref.name,
    target: commitJson(context, commit),
    links: {
      self: link(`${context.api}/refs/branches/${name}`),
      commits: link(`${context.api}/commits/${name}`),
      html: link(`${context.html}/branch/${name}`),
    },
    merge_strategies: MERGE_STRATEGIES,
    default_merge_strategy: 'merge_commit',
  };
}

/** Annotated tags add `message`, `date` and `tagger`; lightweight ones have neither. */
function tagJson(context: Context, { ref, commit, tag }: RefDetails): Json {
  const name = encodePath(ref.name);
  const json: Json = {
    type: 'tag',
    name: ref.name,
    target: commitJson(context, commit),
    links: {
      self: link(`${context.api}/refs/tags/${name}`),
      commits: link(`${context.api}/commits/${name}`),
      html: link(`${context.html}/commits/tag/${name}`),
    },
  };
  if (tag) {
    json.message = tag.message;
    if (tag.tagger) {
      json.date = formatGitDate(tag.tagger);
      json.tagger = authorJson(context, tag.tagger);
    }
  }
  return json;
}

/** `q` and `sort` on branches and tags; `sort=name` is natural (v9 before v10), as the spec says for refs. */
const REF_FIELDS: FieldTypes = {
  name: 'string',
  'target.hash': 'string',
  'target.date': 'datetime',
  'target.message': 'string',
  'target.author.raw': 'string',
};

function refRecord({ ref, commit }: RefDetails): FlatRecord {
  return {
    name: ref.name,
    'target.hash': commit.hash,
    'target.date': commit.author.time * 1000,
    'target.message': commit.message,
    'target.author.raw': `${commit.author.name} <${commit.author.email}>`,
  };
}

async function refDetails(context: Context, kind: GitRef['kind']): Promise<RefDetails[]> {
  const reader = context.state.git.reader;
  const refs = (await reader.refs(context.gitDir)).filter((ref) => ref.kind === kind);
  const commits = await reader.commits(
    context.gitDir,
    refs.map((ref) => ref.commit),
  );
  const tags = await reader.tags(
    context.gitDir,
    refs.filter((ref) => ref.annotated).map((ref) => ref.oid),
  );
  return refs.flatMap((ref) => {
    const commit = commits.get(ref.commit);
    return commit ? [{ ref, commit, tag: tags.get(ref.oid) }] : [];
  });
}

function listRefs(kind: GitRef['kind']): Handler {
  return async (request, [workspaceId, repositoryId], state) => {
    const context = await open(request, state, workspaceId, repositoryId);
    const page = parsePageRequest(request.query);
    const refs = filterAndSort(await refDetails(context, kind), request.query, REF_FIELDS, refRecord, REF_FIELDS, ['name']);
    const render = kind === 'branch' ? branchJson : tagJson;
    return { status: 200, body: paginate(refs, page, request.url, (details) => render(context, details)) };
  };
}

function getRef(kind: GitRef['kind']): Handler {
  return async (request, [workspaceId, repositoryId, name], state) => {
    const context = await open(request, state, workspaceId, repositoryId);
    const details = (await refDetails(context, kind)).find(({ ref }) => ref.name === name);
    if (!details) {
      throw apiError(404, `${kind === 'branch' ? 'Branch' : 'Tag'} not found: ${name}`);
    }
    return { status: 200, body: (kind === 'branch' ? branchJson : tagJson)(context, details) };
  };
}

/** GET /repositories/{workspace}/{slug}/refs/branches and /refs/tags: paginated, `q`, `sort` (natural by name). */
export const listBranches = listRefs('branch');
export const listTags = listRefs('tag');
/** GET /repositories/{workspace}/{slug}/refs/branches/{name} and /refs/tags/{name}; the name may contain slashes. */
export const getBranch = getRef('branch');
export const getTag = getRef('tag');
