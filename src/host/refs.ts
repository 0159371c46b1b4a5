/** Repository names handed to commands by automation, checked before any request. No `vscode` import. */
import { InvalidInputError } from '../common/invalidInputError';
import { t } from '../common/l10n';
import { RepositoryRef } from './types';

/**
 * `{ container, slug }` as given, or `container/slug` in `fullName` or `full_name` (the shapes earlier
 * versions took); anything else is refused with a message rather than sent as `undefined`.
 */
export function toRepositoryRef(value: unknown): RepositoryRef {
  const given = value as { container?: unknown; slug?: unknown; fullName?: unknown; full_name?: unknown } | undefined;
  if (typeof given?.container === 'string' && typeof given.slug === 'string' && given.container && given.slug) {
    return { container: given.container, slug: given.slug };
  }
  const fullName = typeof given?.fullName === 'string' ? given.fullName : given?.full_name;
  const parts = typeof fullName === 'string' ? fullName.split('/') : [];
  if (parts.length === 2 && parts[0] && parts[1]) return { container: parts[0], slug: parts[1] };
  throw new InvalidInputError(t('Name the repository as { container, slug } or "workspace/slug"; nothing was requested.'));
}
