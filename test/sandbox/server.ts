import * as http from 'http';
import { Api } from './api';
import { authenticateApi, authenticateGit, logIdentity, restoreRevokedTokens, revokeToken } from './auth';
import { BareRepositories } from './bare-repos';
import { ChildProcessTracker } from './child-processes';
import { ControlTarget, handleControl, readBody } from './control';
import { Fault, respondWithFault } from './faults';
import { applyFields } from './fields';
import { decideGitAccess, GIT_REALM, GitTarget, isPush, parseGitPath } from './git-access';
import { runGitHttpBackend } from './git-backend';
import { servePage } from './pages';
import { HOUR_MS, RollingWindowLimiter } from './rate-limit';
import { RepositoryStore } from './repository-store';
import { HttpSandbox } from './http-sandbox';
import { logQuery, RequestLogEntry } from './request-log';
import { DEMO } from './seed';
import { GitReader } from './git-read';
import { lfsObject } from './special-repository';
import { SeedWorld } from './world';

/**
 * A local stand-in for the parts of Bitbucket Cloud the extension uses: the REST API under /2.0
 * and git over HTTP at /{workspace}/{slug}.git, plus a control API under /_sandbox.
 */
export { benchUser, DEMO } from './seed';
export { SPECIAL_FILES } from './special-repository';
export type { SeededAccount, SecondAccount } from './seed';
export type { Fault } from './faults';
export type { RequestLogEntry } from './request-log';

export interface SandboxOptions {
  /** 0 or undefined = a free port. */
  port?: number;
  /** 'bench' serves the same seed data as 'default'; it exists so benchmarks can say what they ran. */
  scenario?: 'default' | 'bench';
  /** Added to every API request (not git). */
  latencyMs?: number;
  /** Where bare git repositories live; default a fresh temporary directory removed on close(). */
  dataDir?: string;
  /** Authenticated /2.0/repositories/* limit per credential and rolling hour; default 1000. Access tokens get ten times this. */
  rateLimitPerHour?: number;
  /**
   * Seeds this many more accounts, `bench-user-1` ... `bench-user-N` (see `benchUser(i)`), each with an
   * all-scope API token and five workspaces of its own with 3 to 10 repositories each. Default 0.
   */
  extraUsers?: number;
}

export interface Sandbox {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  /** http://127.0.0.1:PORT/2.0 */
  readonly apiUrl: string;
  readonly credentials: typeof DEMO;
  /** The API and git request log, oldest first (a live array). */
  readonly requests: RequestLogEntry[];
  readonly scenario: 'default' | 'bench';
  /** How many bench users (`benchUser(1)` ... `benchUser(extraUsers)`) this sandbox seeded. */
  readonly extraUsers: number;
  /** Where the bare repositories are. */
  readonly dataDir: string;
  clearRequests(): void;
  addFault(fault: Fault): void;
  clearFaults(): void;
  setLatency(ms: number): void;
  /** Waits this long before answering each git request. */
  setGitDelay(ms: number): void;
  /** Refuses a token from now on, in the API and in git, until reset. */
  revokeToken(token: string): void;
  /** Faults, log, latency, git delay, revoked tokens, created repositories, pushed commits and rate-limit counters back to the seed. */
  reset(): void;
  /** Builds a repository's git data now (e.g. the largest one, before timing clones). */
  prepareRepository(workspace: string, slug: string): Promise<void>;
  close(): Promise<void>;
}

export const DEFAULT_RATE_LIMIT_PER_HOUR = 1000;
export const ANONYMOUS_RATE_LIMIT_PER_HOUR = 60;
const MAX_API_BODY = 1024 * 1024;

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  // Built first, so a bad extraUsers fails before anything is created on disk.
  const world = new SeedWorld(options.extraUsers ?? 0);
  const tracker = new ChildProcessTracker();
  const repositories = await BareRepositories.open(options.dataDir, tracker);
  const sandbox = new SandboxServer(options, world, repositories, tracker);
  try {
    await sandbox.listen(options.port ?? 0);
  } catch (error) {
    await repositories.close();
    throw error;
  }
  return sandbox;
}

/**
 * Where raw requests for Git LFS files are redirected (Bitbucket sends them to its media platform): the
 * object's bytes by sha256, without credentials, as a pre-signed media link would be.
 */
function serveLfsObject(res: http.ServerResponse, oid: string): void {
  const object = lfsObject(oid);
  if (!object) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('No such LFS object\n');
    return;
  }
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(object.size) });
  res.end(object.content);
}

class SandboxServer extends HttpSandbox implements Sandbox, ControlTarget {
  readonly credentials = DEMO;
  readonly scenario: 'default' | 'bench';
  url = '';
  apiUrl = '';
  private readonly store: RepositoryStore;
  private readonly limiter = new RollingWindowLimiter(HOUR_MS);
  private readonly reader: GitReader;
  private api?: Api;

  constructor(
    private readonly options: SandboxOptions,
    private readonly world: SeedWorld,
    private readonly repositories: BareRepositories,
    private readonly tracker: ChildProcessTracker,
  ) {
    super(options.latencyMs ?? 0, repositories);
    this.store = new RepositoryStore(world);
    this.scenario = options.scenario ?? 'default';
    this.reader = new GitReader(tracker, repositories.gitHome);
  }

  protected internalError(res: http.ServerResponse, message: string): void {
    res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(`Sandbox error: ${message}\n`);
  }

  get extraUsers(): number {
    return this.world.extraUsers;
  }

  get dataDir(): string {
    return this.repositories.root;
  }

  async listen(port: number): Promise<void> {
    this.url = await this.listenOnLoopback(port);
    this.apiUrl = `${this.url}/2.0`;
    const perCredential = this.options.rateLimitPerHour ?? DEFAULT_RATE_LIMIT_PER_HOUR;
    const git = { repositories: this.repositories, reader: this.reader };
    this.api = new Api({ store: this.store, base: { url: this.url, apiUrl: this.apiUrl }, git }, this.limiter, {
      perCredential,
      perAccessToken: perCredential * 10,
      anonymousPerIp: ANONYMOUS_RATE_LIMIT_PER_HOUR,
    });
  }

  revokeToken(token: string): void {
    revokeToken(token);
  }

  reset(): void {
    void this.resetAndWait().catch(() => undefined);
  }

  async resetAndWait(): Promise<void> {
    this.resetRequestHandling();
    restoreRevokedTokens();
    this.limiter.reset();
    this.store.reset();
    this.reader.clear();
    await this.repositories.reset();
    this.reader.clear();
  }

  async prepareRepository(workspaceId: string, slug: string): Promise<void> {
    const workspace = this.store.workspace(workspaceId);
    const repository = workspace && this.store.get(workspace, slug);
    if (!repository) {
      throw new Error(`No repository ${workspaceId}/${slug} in the sandbox`);
    }
    await this.repositories.ensure(repository);
  }

  info(): unknown {
    return {
      url: this.url,
      apiUrl: this.apiUrl,
      gitUrl: `${this.url}/{workspace}/{slug}.git`,
      scenario: this.scenario,
      extraUsers: this.world.extraUsers,
      credentials: DEMO,
    };
  }

  protected async dispatch(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = this.requestUrl(req.url ?? '/');
    const pathname = url.pathname;
    if (pathname === '/_sandbox' || pathname.startsWith('/_sandbox/')) {
      return handleControl(req, res, pathname, this);
    }
    if (pathname === '/2.0' || pathname.startsWith('/2.0/')) {
      return this.serveApi(req, res, url);
    }
    const git = parseGitPath(pathname);
    if (git) {
      return this.serveGit(req, res, url, git);
    }
    if (pathname.startsWith('/_media/lfs/')) {
      return serveLfsObject(res, pathname.slice('/_media/lfs/'.length));
    }
    servePage(res, pathname, this.store, this.apiUrl);
  }

  /** The request's URL on the sandbox's own origin (also for `//path` and absolute-form targets). */
  private requestUrl(target: string): URL {
    if (/^https?:\/\//i.test(target)) {
      const absolute = new URL(target);
      return new URL(`${this.url}${absolute.pathname}${absolute.search}`);
    }
    return new URL(`${this.url}${target.startsWith('/') ? '' : '/'}${target}`);
  }

  private async serveApi(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const method = req.method ?? 'GET';
    const credential = authenticateApi(req.headers.authorization, this.world);
    this.log.start({ method, path: url.pathname, query: logQuery(url.searchParams), ...logIdentity(credential), git: false }, res);
    const fault = await this.delayApiRequest(method, url.pathname);
    if (fault) {
      respondWithFault(fault, res);
      return;
    }
    const path = url.pathname.slice('/2.0'.length).replace(/\/+$/, '');
    const response = await (this.api as Api).handle({
      method,
      path,
      url,
      query: url.searchParams,
      credential,
      remoteAddress: req.socket.remoteAddress ?? 'unknown',
      headers: req.headers,
      readBody: () => readBody(req, MAX_API_BODY),
    });
    if (response.raw !== undefined) {
      res.writeHead(response.status, response.headers);
      res.end(response.raw);
      return;
    }
    const fields = url.searchParams.get('fields');
    const body = fields !== null && response.status === 200 ? applyFields(response.body, fields) : response.body;
    res.writeHead(response.status, { 'content-type': 'application/json; charset=utf-8', ...response.headers });
    res.end(JSON.stringify(body));
  }

  private async serveGit(req: http.IncomingMessage, res: http.ServerResponse, url: URL, target: GitTarget): Promise<void> {
    const credential = authenticateGit(req.headers.authorization, this.world);
    this.log.start(
      { method: req.method ?? 'GET', path: url.pathname, query: logQuery(url.searchParams), ...logIdentity(credential), git: true },
      res,
    );
    const workspace = this.store.workspace(target.workspace);
    const repository = workspace ? this.store.get(workspace, target.slug) : undefined;
    const decision = decideGitAccess(credential, workspace, repository, isPush(target, url.searchParams));
    if (!decision.allowed) {
      const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8' };
      if (decision.challenge) {
        headers['www-authenticate'] = GIT_REALM;
      }
      res.writeHead(decision.status, headers);
      res.end(`${decision.message}\n`);
      return;
    }
    if (!workspace || !repository) {
      return;
    }
    await this.repositories.ensure(repository);
    await this.delayGitRequest();
    await runGitHttpBackend(
      {
        req,
        res,
        projectRoot: this.repositories.root,
        home: this.repositories.gitHome,
        pathInfo: `/${workspace.slug}/${repository.slug}.git${target.rest}`,
        queryString: url.search.replace(/^\?/, ''),
        remoteUser: decision.remoteUser,
      },
      this.tracker,
    );
    if (target.rest === '/git-receive-pack') {
      // The push may have moved branches and tags the API caches.
      this.reader.invalidateRefs(this.repositories.pathOf(workspace.slug, repository.slug));
    }
  }
}
