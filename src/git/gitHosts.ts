/**
 * Which git hosts are Bitbucket's, so credentials go to them and nowhere else: bitbucket.org for the
 * real API, the API's own host for a self-run server, and any host seen in a clone link.
 */
import { gitAuthority } from '../host/links';
import { HostedRepository } from '../host/types';

export class GitHosts {
  private readonly learned = new Set<string>();

  /** `servers`: the host[:port] of each Data Center server signed in to. */
  constructor(
    private readonly apiUrl: () => string,
    private readonly servers: () => readonly string[] = () => [],
  ) {}

  /** Whether git at `authority` is Bitbucket Cloud's (bitbucket.org, or the API's own host for a test server). */
  isCloud(authority: string): boolean {
    return this.cloudHosts().has(authority.toLowerCase());
  }

  /** Remembers the host of a repository's https clone link. */
  learnFrom(repository: HostedRepository): void {
    const authority = gitAuthority(repository);
    if (authority) this.learned.add(authority);
  }

  /** The host[:port] of a repository's https clone link, if it has one. */
  authorityOf(repository: HostedRepository): string | undefined {
    return gitAuthority(repository);
  }

  has(authority: string): boolean {
    return this.all().has(authority.toLowerCase());
  }

  all(): Set<string> {
    const hosts = new Set([...this.cloudHosts(), ...this.learned, ...this.servers().map((server) => server.toLowerCase())]);
    return hosts;
  }

  private cloudHosts(): Set<string> {
    const hosts = new Set(['bitbucket.org']);
    try {
      hosts.add(new URL(this.apiUrl()).host.toLowerCase().replace(/^api\./, ''));
    } catch {
      // An unusable bitbucket.apiUrl is reported where it is used; here it adds no host.
    }
    return hosts;
  }
}
