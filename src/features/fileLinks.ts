/**
 * "Copy Bitbucket Link" and "Open on Bitbucket" for the file in front of you and its selected lines: in a
 * clone (any branch, `origin` or another Bitbucket remote) or in a repository opened without cloning. The
 * link is pinned to a commit; when the file has local changes or the commit is not pushed, it may not show
 * what you see, and the person is told so.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { ExplainedError } from '../common/explainedError';
import { BitbucketHost, RepositoryRef } from '../host/types';
import { GitApi, GitRepository } from '../git/gitApi';
import { GitHosts } from '../git/gitHosts';
import { BROWSE_SCHEME } from '../browse/browseLocation';

/** Why no link could be made: said as it is, nothing to retry. */
export class NoLinkError extends ExplainedError {
  readonly kind = 'noLink';
  readonly remedy = undefined;
  readonly detail = undefined;
}

export interface FileLink {
  readonly url: string;
  /** Why the page may not show what the editor does, if it may not. */
  readonly caveat?: string;
}

export interface FileLinkDeps {
  /** The usable accounts' hosts, the first reaching a repository answering. */
  readonly hostFor: (repository: RepositoryRef) => Promise<BitbucketHost | undefined>;
  readonly hosts: GitHosts;
  /** The repository a remote URL names (the host's own reading of its URLs). */
  readonly refFromRemoteUrl: (url: string) => RepositoryRef | undefined;
  readonly git: () => Promise<GitApi | undefined>;
  /** A browsed file's repository and pinned commit. */
  readonly browsed: (uri: vscode.Uri) => Promise<{ repository: RepositoryRef; commit: string; path: string; host: BitbucketHost }>;
}

/** The link to a document at a selection (or the whole file without one). */
export async function linkFor(deps: FileLinkDeps, document: vscode.TextDocument, selection?: vscode.Selection): Promise<FileLink> {
  const lines = selection && !(selection.isEmpty && selection.start.line === 0) ? linesOf(selection) : undefined;
  if (document.uri.scheme === BROWSE_SCHEME) {
    const browsed = await deps.browsed(document.uri);
    const repository = await browsed.host.repository(browsed.repository);
    const url = browsed.host.fileWebLink(repository, browsed.commit, browsed.path, lines);
    if (!url) throw new NoLinkError(vscode.l10n.t('Bitbucket gave no web address for {0}.', repository.fullName));
    return { url };
  }
  if (document.uri.scheme !== 'file') {
    throw new NoLinkError(
      vscode.l10n.t('Only files of a Bitbucket clone, or of a repository opened without cloning, have a Bitbucket link.'),
    );
  }
  const git = await deps.git();
  const local = git?.getRepository(document.uri) ?? undefined;
  if (!local) {
    throw new NoLinkError(vscode.l10n.t("{0} is not in a git repository that VS Code's git has open.", path.basename(document.uri.fsPath)));
  }
  const remote = bitbucketRemote(local, deps);
  if (!remote) throw new NoLinkError(vscode.l10n.t('{0} has no remote on Bitbucket.', path.basename(local.rootUri.fsPath)));
  const host = await deps.hostFor(remote.ref);
  if (!host) {
    throw new NoLinkError(
      vscode.l10n.t('No signed-in Bitbucket account reaches {0}/{1}. Sign in with one that does.', remote.ref.container, remote.ref.slug),
    );
  }
  const commit = local.state.HEAD?.commit;
  if (!commit) {
    throw new NoLinkError(
      vscode.l10n.t('{0} has no commit yet, so there is nothing on Bitbucket to link to.', path.basename(local.rootUri.fsPath)),
    );
  }
  const relative = path.relative(local.rootUri.fsPath, document.uri.fsPath).split(path.sep).join('/');
  const repository = await host.repository(remote.ref);
  const url = host.fileWebLink(repository, commit, relative, lines);
  if (!url) throw new NoLinkError(vscode.l10n.t('Bitbucket gave no web address for {0}.', repository.fullName));
  return { url, caveat: caveatFor(local, document) };
}

function linesOf(selection: vscode.Selection): { start: number; end: number } {
  const start = selection.start.line + 1;
  // A selection that ends at the start of a line does not include that line.
  const endLine = selection.end.character === 0 && selection.end.line > selection.start.line ? selection.end.line : selection.end.line + 1;
  return { start, end: Math.max(start, endLine) };
}

/** The remote to link to: `origin` when it is on Bitbucket, else the first that is. */
function bitbucketRemote(local: GitRepository, deps: FileLinkDeps): { name: string; ref: RepositoryRef } | undefined {
  const candidates = [...local.state.remotes].sort((a, b) => Number(b.name === 'origin') - Number(a.name === 'origin'));
  for (const remote of candidates) {
    const url = remote.fetchUrl ?? remote.pushUrl;
    if (!url) continue;
    const host = hostOf(url);
    if (!host || !deps.hosts.has(host)) continue;
    const ref = deps.refFromRemoteUrl(url);
    if (ref) return { name: remote.name, ref };
  }
  return undefined;
}

function hostOf(url: string): string | undefined {
  const scp = /^[\w.-]+@([^:/\s]+):/.exec(url);
  if (scp) return scp[1];
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}

function caveatFor(local: GitRepository, document: vscode.TextDocument): string | undefined {
  const changed = [...local.state.workingTreeChanges, ...local.state.indexChanges].some(
    (change) => change.uri.fsPath === document.uri.fsPath,
  );
  if (document.isDirty || changed) return vscode.l10n.t('This file has changes that are not committed: the link shows it as committed.');
  const head = local.state.HEAD;
  if (!head?.upstream) return vscode.l10n.t('This branch is not on Bitbucket: the link works once its commit is pushed.');
  if ((head.ahead ?? 0) > 0) return vscode.l10n.t('This commit is not pushed yet: the link works once it is.');
  return undefined;
}
