/**
 * Choosing a branch (or tag): the main branch first and preselected, then the newest, and anything else by
 * typing, searched on the server as the repository search is.
 */
import * as vscode from 'vscode';
import { BitbucketHost, RefInfo, RepositoryRef } from '../host/types';
import { searchQuickPick } from '../ui/searchQuickPick';

interface RefItem extends vscode.QuickPickItem {
  readonly ref?: RefInfo;
}

export interface RefPickerOptions {
  readonly title: string;
  /** The repository's main branch, offered first. */
  readonly mainBranch?: string;
  /** Tags too, after the branches. */
  readonly withTags?: boolean;
  /** Marks the one in use now (a browsed repository's). */
  readonly current?: string;
}

/** Resolves with the chosen branch or tag, or undefined when the person backs out. */
export function pickRef(host: BitbucketHost, repository: RepositoryRef, options: RefPickerOptions): Promise<RefInfo | undefined> {
  return searchQuickPick<RefInfo[], RefItem, RefInfo>({
    title: options.title,
    hint: options.withTags ? vscode.l10n.t('Type to search branches and tags by name') : vscode.l10n.t('Type to search branches by name'),
    search: async (text, signal) => {
      const [branches, tags] = await Promise.all([
        host.refs(repository, 'branch', { nameContains: text, signal }),
        options.withTags ? host.refs(repository, 'tag', { nameContains: text, signal }) : Promise.resolve([]),
      ]);
      const main = options.mainBranch;
      // With many branches the main one may not be among the newest: it is asked for by name.
      if (!text && main && !branches.some((ref) => ref.name === main)) {
        const named = await host.refs(repository, 'branch', { nameContains: main, signal });
        branches.unshift(...named.filter((ref) => ref.name === main));
      }
      return [...branches, ...tags];
    },
    show: (pick, refs, text) => {
      pick.items = refs.length === 0 && !text && !options.withTags ? [defaultBranchItem()] : toItems(refs, options);
      // The main branch, when listed, is where Enter goes.
      const main = pick.items.find((item) => item.ref?.kind === 'branch' && item.ref.name === options.mainBranch);
      if (main) pick.activeItems = [main];
      return refs.length === 0 && text ? vscode.l10n.t('Nothing matches "{0}"', text) : undefined;
    },
    valueOf: (item) => item.ref,
  });
}

/** A repository with no branch yet (just created) still clones: git checks out whatever it gets. */
function defaultBranchItem(): RefItem {
  return {
    iconPath: new vscode.ThemeIcon('git-branch'),
    label: vscode.l10n.t('The default branch'),
    description: vscode.l10n.t('the repository has no branches yet'),
    ref: { name: '', kind: 'branch', commit: '' },
  };
}

function toItems(refs: readonly RefInfo[], options: RefPickerOptions): RefItem[] {
  const main = refs.filter((ref) => ref.kind === 'branch' && ref.name === options.mainBranch);
  const branches = refs.filter((ref) => ref.kind === 'branch' && ref.name !== options.mainBranch);
  const tags = refs.filter((ref) => ref.kind === 'tag');
  const mainBranch = vscode.l10n.t('main branch');
  const current = vscode.l10n.t({ message: 'current', comment: ['Beside a branch or tag: the one in use now'] });
  const item = (ref: RefInfo): RefItem => {
    return {
      iconPath: new vscode.ThemeIcon(ref.kind === 'tag' ? 'tag' : 'git-branch'),
      label: ref.name,
      description: [
        ref.name === options.mainBranch && ref.kind === 'branch' ? mainBranch : undefined,
        ref.name === options.current ? current : undefined,
        ref.commit.slice(0, 7),
      ]
        .filter(Boolean)
        .join(' · '),
      // The server has matched these already; the list must not filter them out again.
      alwaysShow: true,
      ref,
    };
  };
  const items: RefItem[] = [...main, ...branches].map(item);
  if (tags.length > 0) items.push({ label: vscode.l10n.t('Tags'), kind: vscode.QuickPickItemKind.Separator }, ...tags.map(item));
  return items;
}
