/**
 * What a pasted Bitbucket link names, made concrete: the commit to browse, the branch or tag it came from,
 * and the path inside. No `vscode` import.
 */
import { InvalidInputError } from '../common/invalidInputError';
import { t } from '../common/l10n';
import { BitbucketHost, RefInfo, RepositoryRef, WebLocation } from '../host/types';

export interface ResolvedLocation {
  readonly commit: string;
  /** The branch or tag the link named; undefined for a commit or the main branch. */
  readonly ref?: string;
  readonly refKind?: 'branch' | 'tag';
  /** Below the repository root, without leading or trailing slash; '' is the root. */
  readonly path: string;
}

const COMMIT = /^[0-9a-f]{7,40}$/i;

/**
 * Resolves a link's branch, tag or commit and path. Cloud's `/src/{ref}/{path}` runs the two together and a
 * branch may hold `/` (`release/1.0/README.md`), so the longest leading run of segments that names a branch
 * (then a tag) wins, as Bitbucket's own file view decides; a hash that names neither is taken as a commit.
 * Usually one request per ref kind: the refs whose name holds the first segment.
 */
export async function resolveWebLocation(host: BitbucketHost, location: WebLocation, signal?: AbortSignal): Promise<ResolvedLocation> {
  const repository = location.repository;
  if (location.refAndPath !== undefined) {
    const segments = location.refAndPath.split('/').filter(Boolean);
    for (const kind of ['branch', 'tag'] as const) {
      const found = await longestRef(host, repository, kind, segments, signal);
      if (found) return { commit: found.ref.commit, ref: found.ref.name, refKind: kind, path: segments.slice(found.length).join('/') };
    }
    if (segments[0] && COMMIT.test(segments[0])) return { commit: segments[0], path: segments.slice(1).join('/') };
    throw noSuchRef(repository, segments[0] ?? '');
  }
  const path = (location.path ?? '').split('/').filter(Boolean).join('/');
  if (location.ref === undefined) return { commit: await host.mainCommit(repository, signal), path };
  const named = location.ref.replace(/^refs\/(heads|tags)\//, '');
  const kinds: ('branch' | 'tag')[] = location.ref.startsWith('refs/tags/')
    ? ['tag']
    : location.ref.startsWith('refs/heads/')
      ? ['branch']
      : ['branch', 'tag'];
  for (const kind of kinds) {
    const found = (await host.refs(repository, kind, { nameContains: named, signal })).find((ref) => ref.name === named);
    if (found) return { commit: found.commit, ref: found.name, refKind: kind, path };
  }
  if (COMMIT.test(named)) return { commit: named, path };
  throw noSuchRef(repository, named);
}

/** The ref of this kind whose name is the most leading segments, and how many segments that is. */
async function longestRef(
  host: BitbucketHost,
  repository: RepositoryRef,
  kind: 'branch' | 'tag',
  segments: readonly string[],
  signal?: AbortSignal,
): Promise<{ ref: RefInfo; length: number } | undefined> {
  if (segments.length === 0) return undefined;
  const pick = (refs: readonly RefInfo[], from: number, to: number) => {
    for (let length = to; length >= from; length--) {
      const name = segments.slice(0, length).join('/');
      const ref = refs.find((candidate) => candidate.name === name);
      if (ref) return { ref, length };
    }
    return undefined;
  };
  const first = await host.refs(repository, kind, { nameContains: segments[0], signal });
  const found = pick(first, 1, segments.length);
  // One page holds every ref containing the first segment unless there are many (`feature/…`): then ask for
  // each longer name in turn, longest first, so a ref beyond that page is still found.
  if (found || first.length < 10) return found;
  for (let length = segments.length; length >= 2; length--) {
    const name = segments.slice(0, length).join('/');
    const exact = pick(await host.refs(repository, kind, { nameContains: name, signal }), length, length);
    if (exact) return exact;
  }
  return undefined;
}

function noSuchRef(repository: RepositoryRef, name: string): InvalidInputError {
  return new InvalidInputError(
    t(
      '{0}/{1} has no branch, tag or commit "{2}". Check the link, or open the repository and pick a branch.',
      repository.container,
      repository.slug,
      name,
    ),
  );
}
