/**
 * The slug Bitbucket derives from a repository name: lower case ASCII letters, digits, "_", "-" and ".";
 * any run of other characters becomes one "-"; no leading, trailing or doubled dashes; 62 characters at most.
 */
import { t } from '../common/l10n';

export const MAX_SLUG_LENGTH = 62;

export function slugify(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Why a name cannot become a repository, or undefined when it can. */
export function repositoryNameProblem(name: string): string | undefined {
  if (!name.trim()) return t('Enter a name for the repository.');
  const slug = slugify(name);
  if (!slug) return t('The name needs at least one letter or digit (a-z, 0-9).');
  if (slug === '.' || slug === '..' || /^\.+$/.test(slug)) return t('The name cannot be only dots.');
  if (slug.length > MAX_SLUG_LENGTH) {
    return t("Too long: the repository's slug would have {0} characters, and Bitbucket allows {1}.", slug.length, MAX_SLUG_LENGTH);
  }
  return undefined;
}
