/**
 * Where a clone goes, and what of it is the clone's own. A target is taken when anything is at its path,
 * a dangling symbolic link included; a run owns the folder only when its own non-recursive mkdir made it,
 * so a failed or cancelled clone removes that folder and never anything it did not create. Two clones
 * into one place (two windows, two clicks) cannot both claim it. No `vscode` import.
 */
import type { BigIntStats } from 'fs';
import * as fs from 'fs/promises';
import * as path from 'path';
import { t } from '../common/l10n';
import { InvalidAnswerError } from '../host/errors';
import { GitError } from './gitErrors';

/** A slug as Bitbucket makes them; anything else (a path, `..`) is not taken for a folder name. */
const PLAIN_SLUG = /^[A-Za-z0-9_.-]+$/;
/** Names Windows keeps for devices, whatever follows their first dot. */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i;

/**
 * The folder name a repository is cloned into: its slug, refused when the server sent something that is
 * not a plain name, and on Windows moved off a device name or a trailing dot by an underscore.
 */
export function cloneFolderName(slug: string, repository: string, platform: NodeJS.Platform = process.platform): string {
  if (!PLAIN_SLUG.test(slug) || slug === '.' || slug === '..') {
    throw new InvalidAnswerError(
      t('Bitbucket gave {0} a name that is not a plain folder name; it was not cloned.', repository),
      `slug ${JSON.stringify(slug)}`,
    );
  }
  if (platform !== 'win32') return slug;
  const [first, ...rest] = slug.split('.');
  const name = WINDOWS_RESERVED.test(first) ? [`${first}_`, ...rest].join('.') : slug;
  return name.endsWith('.') ? `${name}_` : name;
}

/** True when nothing at all is at the path, not even a dangling symbolic link. */
export async function isFreeTarget(target: string): Promise<boolean> {
  try {
    await fs.lstat(target);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

/** A folder this run made, and the only thing a failed or cancelled run may remove. */
export interface ClaimedTarget {
  readonly path: string;
  /** Removes the folder, unless what is at its path now is no longer the folder this run made. */
  release(): Promise<void>;
}

/** Creates the target folder for this run alone, or says why not; its parent is made as needed. */
export async function claimTarget(target: string): Promise<ClaimedTarget> {
  let made: BigIntStats;
  try {
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.mkdir(target);
    made = await fs.lstat(target, { bigint: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw targetTaken(target);
    throw new GitError(
      'failed',
      t('Could not create the folder {0} ({1}). Choose another folder.', target, code ?? (error as Error).message),
    );
  }
  return {
    path: target,
    release: async () => {
      // Removed and made again meanwhile (another window's clone, say): that folder is not ours. A new
      // folder may get the old one's inode number at once, so its creation time tells them apart too.
      const now = await fs.lstat(target, { bigint: true }).catch(() => undefined);
      if (!now?.isDirectory() || now.ino !== made.ino || now.dev !== made.dev || now.birthtimeNs !== made.birthtimeNs) return;
      // Best effort: a file still held open (Windows) must not replace the error that explains the failure.
      await fs.rm(target, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined);
    },
  };
}

export function targetTaken(target: string): GitError {
  return new GitError('targetExists', t('Something named {0} already exists. Choose another name or folder.', target));
}
