/** Which URLs a credential may travel to, which web links may be opened, and how a server reads in words. No `vscode` import. */

/**
 * Where a credential may go, for the API and for git alike, and which web links may be opened: https, or
 * plain http only to this machine (the sandbox, a local proxy).
 */
export function isHttpsOrLoopback(url: Pick<URL, 'protocol' | 'hostname'>): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url.hostname));
}

export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/** `host[:port][/context]`: a server as people read it in labels and messages. */
export function serverLabel(serverUrl: string): string {
  const url = new URL(serverUrl);
  return `${url.host}${url.pathname.replace(/\/+$/, '')}`;
}
