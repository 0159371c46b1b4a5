/**
 * Repository slug rules as BITBUCKET.md states them: ASCII letters, digits, `_`, `-` and `.`, lower case,
 * at most 62 characters, runs of any other characters become a single `-`, no doubled or trailing dashes.
 */
export const MAX_SLUG_LENGTH = 62;

export function slugify(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug.length > MAX_SLUG_LENGTH ? slug.slice(0, MAX_SLUG_LENGTH).replace(/-+$/, '') : slug;
}

/** Why `slug` cannot name a repository, or undefined when it can. */
export function slugProblem(slug: string): string | undefined {
  if (slug.length === 0) {
    return 'A repository slug cannot be empty.';
  }
  if (slug.length > MAX_SLUG_LENGTH) {
    return `A repository slug can have at most ${MAX_SLUG_LENGTH} characters.`;
  }
  if (/[^a-z0-9_.-]/.test(slug)) {
    return 'A repository slug can contain only lower-case letters, digits, "_", "-" and ".".';
  }
  if (/--/.test(slug) || slug.startsWith('-') || slug.endsWith('-')) {
    return 'A repository slug cannot start or end with "-" or contain "--".';
  }
  if (slug === '.' || slug === '..' || slug.endsWith('.git')) {
    return 'This repository slug is reserved.';
  }
  return undefined;
}
