/**
 * Which account's token git gets for a repository, when VS Code's git asks for credentials. VS Code tells
 * the credentials provider only what git's prompt names: the host, and the repository's path when the
 * repository's config has `useHttpPath` (clones and publishes of this extension set it). So:
 * - one usable account: that one;
 * - a path, and an account remembered for that repository (the one it was cloned or published with, or the
 *   one chosen earlier): that one;
 * - a path whose workspace exactly one account reaches: that one;
 * - otherwise the person is asked once; with a path, the answer is remembered for that repository.
 * The choices are kept in the extension's global state as repository → account id: no secret.
 * No `vscode` import.
 */
import type * as vscode from 'vscode';
import { t } from '../common/l10n';
import { Logger } from '../common/logger';
import { RepositoryRef } from '../host/types';

/** Where the choices live in global state. */
export const GIT_ACCOUNT_CHOICES_KEY = 'bitbucket.gitAccountChoices';

export interface GitAccount {
  readonly id: string;
  readonly label: string;
  gitCredentials(): { readonly username: string; readonly password: string };
}

export interface GitAccountsDeps<A extends GitAccount> {
  /** The accounts Bitbucket still accepts whose host serves git at `authority` (host[:port]). */
  readonly usable: (authority: string) => readonly A[];
  /** The usable accounts known to reach a container. */
  readonly reaching: (container: string) => Promise<readonly A[]>;
  /** The repository a git path names on the host at `authority`, if it names one. */
  readonly refFromGitPath: (authority: string, path: string) => RepositoryRef | undefined;
  /**
   * Asks which account to use; undefined when the person backs out. With `repository` true, `what` is the
   * repository (`workspace/slug`) and the answer is remembered for it; otherwise `what` is a whole sentence
   * saying why git's request names no repository.
   */
  readonly ask: (accounts: readonly A[], what: string, repository: boolean) => Promise<A | undefined>;
  readonly memento: vscode.Memento;
  readonly logger: Logger;
}

export class GitAccounts<A extends GitAccount> {
  /** One question at a time: git asks for a username, and often for a fetch and a push at once. */
  private asking: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: GitAccountsDeps<A>) {}

  /** The account whose token git gets for a request to `authority` (host[:port]) and `path`. */
  async accountFor(authority: string, path: string): Promise<A | undefined> {
    const usable = this.deps.usable(authority);
    if (usable.length <= 1) return usable[0];
    const ref = this.deps.refFromGitPath(authority, path);
    if (!ref) {
      return this.serialized(() =>
        this.deps.ask(usable, t('git did not say which repository on {0} it needs; choose the account for this request', authority), false),
      );
    }
    const key = choiceKey(authority, ref);
    const remembered = this.remembered(key, usable);
    if (remembered) return remembered;
    const reaching = (await this.deps.reaching(ref.container)).filter((account) => usable.includes(account));
    if (reaching.length === 1) return reaching[0];
    return this.serialized(async () => {
      // Another question about the same repository may have been answered while this one waited.
      const answered = this.remembered(key, this.deps.usable(authority));
      if (answered) return answered;
      const chosen = await this.deps.ask(reaching.length > 1 ? reaching : usable, `${ref.container}/${ref.slug}`, true);
      if (chosen) await this.remember(authority, ref, chosen.id);
      return chosen;
    });
  }

  /** Remembers the account for a repository: after a clone or publish through it, or a choice. */
  async remember(authority: string, ref: RepositoryRef, accountId: string): Promise<void> {
    const choices = { ...this.choices(), [choiceKey(authority, ref)]: accountId };
    await this.deps.memento.update(GIT_ACCOUNT_CHOICES_KEY, choices);
    this.deps.logger.debug(`git uses account ${accountId} for ${ref.container}/${ref.slug} on ${authority}.`);
  }

  /** Forgets the choices of an account that was signed out of. */
  async forgetAccount(accountId: string): Promise<void> {
    const choices = this.choices();
    const kept = Object.fromEntries(Object.entries(choices).filter(([, id]) => id !== accountId));
    if (Object.keys(kept).length !== Object.keys(choices).length) await this.deps.memento.update(GIT_ACCOUNT_CHOICES_KEY, kept);
  }

  private remembered(key: string, usable: readonly A[]): A | undefined {
    const id = this.choices()[key];
    return id === undefined ? undefined : usable.find((account) => account.id === id);
  }

  private choices(): Record<string, string> {
    const stored = this.deps.memento.get<unknown>(GIT_ACCOUNT_CHOICES_KEY);
    return stored && typeof stored === 'object' ? (stored as Record<string, string>) : {};
  }

  private serialized<T>(question: () => Promise<T>): Promise<T> {
    const answer = this.asking.then(question);
    this.asking = answer.catch(() => undefined);
    return answer;
  }
}

function choiceKey(authority: string, ref: RepositoryRef): string {
  return `${authority.toLowerCase()}/${ref.container.toLowerCase()}/${ref.slug.toLowerCase()}`;
}
