import * as http from 'http';
import { ChildProcessTracker } from '../child-processes';
import { ControlTarget, handleControl, readBody } from '../control';
import { isPush } from '../git-access';
import { runGitHttpBackend } from '../git-backend';
import { GitReader } from '../git-read';
import type { Fault } from '../faults';
import { HttpSandbox } from '../http-sandbox';
import { logQuery, RequestLogEntry } from '../request-log';
import { DcApi } from './api';
import { DcAuthenticator, DcCredential, dcLogIdentity } from './auth';
import { ContentReader } from './content';
import { DcError, dcErrorBody } from './errors';
import { respondWithDcFault } from './faults';
import { DC_GIT_REALM, decideDcGitAccess, DcGitTarget, parseDcGitPath } from './git';
import { Permissions } from './permissions';
import { DcRepositories } from './repositories';
import { Urls } from './representations';
import { ALL_TOKENS, DATACENTER, USERS } from './seed';
import { DcStore } from './store';

/**
 * A local stand-in for Bitbucket Data Center: the REST API 1.0 under `{url}/rest/api/1.0` (and
 * `/rest/api/latest`), git over HTTP at `{url}/scm/{projectKey}/{slug}.git`, and the Cloud sandbox's control
 * API under `{url}/_sandbox`. `url` may carry a context path (`/bitbucket`), as real servers often do.
 */
export { DATACENTER } from './seed';
export type { DcToken, DcUser } from './seed';
export type { Fault } from '../faults';
export type { RequestLogEntry } from '../request-log';

export interface DataCenterSandboxOptions {
  /** 0 or undefined = a free port. */
  port?: number;
  /** Where bare git repositories live; default a fresh temporary directory removed on close(). */
  dataDir?: string;
  /** Added to every REST request (not git). */
  latencyMs?: number;
  /** e.g. '/bitbucket'; default '' (the server's root). */
  contextPath?: string;
}

export interface DataCenterSandbox {
  /** http://127.0.0.1:PORT plus the context path. */
  readonly url: string;
  /** `${url}/rest/api/1.0` */
  readonly restUrl: string;
  readonly contextPath: string;
  readonly credentials: typeof DATACENTER;
  /** REST and git requests, oldest first (a live array); `credential` names the seeded token, never its secret. */
  readonly requests: RequestLogEntry[];
  readonly dataDir: string;
  clearRequests(): void;
  addFault(fault: Fault): void;
  clearFaults(): void;
  setLatency(ms: number): void;
  setGitDelay(ms: number): void;
  /** Refuses a token from now on (REST and git) until reset. */
  revokeToken(token: string): void;
  /** Faults, log, latency, revoked tokens, created repositories and pushed commits back to the seed. */
  reset(): void;
  resetAndWait(): Promise<void>;
  /** Builds a repository's git data now (it is otherwise built on first use). */
  prepareRepository(projectKey: string, slug: string): Promise<void>;
  close(): Promise<void>;
}

const REST_ROOTS = ['/rest/api/1.0', '/rest/api/latest'];
const MAX_BODY = 1024 * 1024;

export function normalizeContextPath(contextPath = ''): string {
  const trimmed = contextPath.replace(/\/+$/, '');
  if (trimmed === '') {
    return '';
  }
  if (!/^(\/[A-Za-z0-9._~-]+)+$/.test(trimmed)) {
    throw new Error(`Not a context path: ${contextPath} (use e.g. /bitbucket)`);
  }
  return trimmed;
}

export async function startDataCenterSandbox(options: DataCenterSandboxOptions = {}): Promise<DataCenterSandbox> {
  const contextPath = normalizeContextPath(options.contextPath);
  const tracker = new ChildProcessTracker();
  const repositories = await DcRepositories.open(options.dataDir, tracker);
  const sandbox = new DataCenterServer(options, contextPath, repositories, tracker);
  try {
    await sandbox.listen(options.port ?? 0);
  } catch (error) {
    await repositories.close();
    throw error;
  }
  return sandbox;
}

class DataCenterServer extends HttpSandbox implements DataCenterSandbox, ControlTarget {
  readonly credentials = DATACENTER;
  url = '';
  restUrl = '';
  private readonly store = new DcStore();
  private readonly auth = new DcAuthenticator(ALL_TOKENS, USERS);
  private readonly permissions = new Permissions(this.store);
  private readonly reader: GitReader;
  private readonly api: DcApi;
  private requestCount = 0;

  constructor(
    options: DataCenterSandboxOptions,
    readonly contextPath: string,
    private readonly repositories: DcRepositories,
    private readonly tracker: ChildProcessTracker,
  ) {
    super(options.latencyMs ?? 0, repositories);
    this.reader = new GitReader(tracker, repositories.gitHome);
    this.api = new DcApi(this.store, repositories, new ContentReader(this.reader));
  }

  protected internalError(res: http.ServerResponse, message: string): void {
    res.writeHead(500, { 'content-type': 'application/json;charset=UTF-8' });
    res.end(JSON.stringify(dcErrorBody(message, 'java.lang.IllegalStateException')));
  }

  get dataDir(): string {
    return this.repositories.root;
  }

  async listen(port: number): Promise<void> {
    this.url = `${await this.listenOnLoopback(port)}${this.contextPath}`;
    this.restUrl = `${this.url}/rest/api/1.0`;
  }

  revokeToken(token: string): void {
    this.auth.revoke(token);
  }

  reset(): void {
    void this.resetAndWait().catch(() => undefined);
  }

  async resetAndWait(): Promise<void> {
    this.resetRequestHandling();
    this.auth.restore();
    this.store.reset();
    this.reader.clear();
    await this.repositories.reset();
    this.reader.clear();
  }

  async prepareRepository(projectKey: string, slug: string): Promise<void> {
    const project = this.store.project(projectKey);
    const repository = project && this.store.repository(project, slug);
    if (!repository) {
      throw new Error(`No repository ${projectKey}/${slug} in the Data Center sandbox`);
    }
    await this.repositories.ensure(repository);
  }

  info(): unknown {
    return {
      url: this.url,
      restUrl: this.restUrl,
      gitUrl: `${this.url}/scm/{projectKey}/{slug}.git`,
      contextPath: this.contextPath,
      credentials: DATACENTER,
    };
  }

  protected async dispatch(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const target = req.url ?? '/';
    const url = new URL(/^https?:\/\//i.test(target) ? target : `http://127.0.0.1${target.startsWith('/') ? '' : '/'}${target}`);
    const pathname = url.pathname;
    if (this.contextPath && pathname !== this.contextPath && !pathname.startsWith(`${this.contextPath}/`)) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`Bitbucket is served under ${this.contextPath}\n`);
      return;
    }
    const path = pathname.slice(this.contextPath.length) || '/';
    if (path === '/_sandbox' || path.startsWith('/_sandbox/')) {
      return handleControl(req, res, path, this);
    }
    const root = REST_ROOTS.find((prefix) => path === prefix || path.startsWith(`${prefix}/`));
    if (root) {
      return this.serveApi(req, res, url, path.slice(root.length));
    }
    const git = parseDcGitPath(path);
    if (git) {
      return this.serveGit(req, res, url, git);
    }
    this.servePage(res, path);
  }

  /** Headers every REST response carries, as real servers send them (the request id; the signed-in user). */
  private responseHeaders(credential: DcCredential): Record<string, string> {
    const minute = Math.floor((Date.now() % 86_400_000) / 60_000);
    const headers: Record<string, string> = { 'x-arequestid': `@SANDBOXx${minute}x${++this.requestCount}x0` };
    if (credential.kind === 'token' && credential.user) {
      headers['x-auserid'] = String(credential.user.id);
      headers['x-ausername'] = credential.user.name;
    }
    return headers;
  }

  private async serveApi(req: http.IncomingMessage, res: http.ServerResponse, url: URL, rest: string): Promise<void> {
    const method = req.method ?? 'GET';
    const credential = this.auth.authenticate(req.headers.authorization);
    this.log.start({ method, path: url.pathname, query: logQuery(url.searchParams), ...dcLogIdentity(credential), git: false }, res);
    const headers = this.responseHeaders(credential);
    const fault = await this.delayApiRequest(method, url.pathname);
    if (fault) {
      respondWithDcFault(fault, res, headers);
      return;
    }
    const base = new URL(this.url);
    const urls: Urls = { base: this.url, host: base.hostname };
    if (credential.kind === 'token' && credential.user) {
      urls.cloneUser = credential.user.name;
    }
    let status: number;
    let body: unknown;
    let raw: Buffer | undefined;
    let extra: Record<string, string> = {};
    try {
      const segments = rest.split('/').slice(1).map(decodeURIComponent);
      if (segments.length > 0 && segments[segments.length - 1] === '' && segments.length > 1) {
        segments.pop();
      }
      const response = await this.api.handle({
        method,
        segments,
        query: url.searchParams,
        credential,
        urls,
        readBody: () => readBody(req, MAX_BODY),
      });
      ({ status, body, raw } = response);
      extra = response.headers ?? {};
    } catch (thrown) {
      const error = thrown instanceof URIError ? new DcError(404, dcErrorBody('Malformed URL', null)) : thrown;
      if (!(error instanceof DcError)) {
        throw error;
      }
      ({ status, body } = error);
      extra = { ...error.headers };
      if (status === 401) {
        // What real servers answer REST 401s with (their OAuth filter), whatever the scheme tried.
        extra['www-authenticate'] = `OAuth realm="${encodeURIComponent(`${base.protocol}//${base.host}`)}"`;
      }
    }
    if (raw !== undefined) {
      res.writeHead(status, { ...headers, ...extra });
      res.end(raw);
    } else if (body === undefined) {
      res.writeHead(status, { ...headers, ...extra });
      res.end();
    } else {
      res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', ...headers, ...extra });
      res.end(JSON.stringify(body));
    }
  }

  private async serveGit(req: http.IncomingMessage, res: http.ServerResponse, url: URL, target: DcGitTarget): Promise<void> {
    const credential = this.auth.authenticate(req.headers.authorization);
    this.log.start(
      { method: req.method ?? 'GET', path: url.pathname, query: logQuery(url.searchParams), ...dcLogIdentity(credential), git: true },
      res,
    );
    const project = this.store.project(target.projectKey);
    const repository = project ? this.store.repository(project, target.slug) : undefined;
    const push = isPush({ workspace: target.projectKey, slug: target.slug, rest: target.rest }, url.searchParams);
    const decision = decideDcGitAccess(credential, this.permissions, project, repository, push);
    if (!decision.allowed || !repository) {
      const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8' };
      const status = decision.allowed ? 404 : decision.status;
      if (!decision.allowed && decision.challenge) {
        headers['www-authenticate'] = DC_GIT_REALM;
      }
      res.writeHead(status, headers);
      res.end(`${decision.allowed ? 'Repository not found.' : decision.message}\n`);
      return;
    }
    const gitDir = await this.repositories.ensure(repository);
    await this.delayGitRequest();
    await runGitHttpBackend(
      {
        req,
        res,
        projectRoot: this.repositories.root,
        home: this.repositories.gitHome,
        pathInfo: `/${repository.projectKey}/${repository.slug}.git${target.rest}`,
        queryString: url.search.replace(/^\?/, ''),
        remoteUser: decision.remoteUser,
      },
      this.tracker,
    );
    if (target.rest === '/git-receive-pack') {
      this.reader.invalidateRefs(gitDir);
    }
  }

  /** A minimal page behind the web links (`/projects/KEY/repos/slug/browse/...`, `/users/...`), so they open. */
  private servePage(res: http.ServerResponse, path: string): void {
    if (!/^\/(projects|users)\/[^/]+/.test(path)) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Not found\n');
      return;
    }
    const title = path.replace(/[<>&"]/g, '');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>${title} - Bitbucket</title></head><body><h1>${title}</h1></body></html>\n`,
    );
  }
}
