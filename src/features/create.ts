/**
 * "Create Repository": workspace → project → name (slug shown live, checked with the server) →
 * visibility → description → confirm, with Back on every step. A field the server refuses brings the
 * user back to that step with what they typed.
 */
import * as vscode from 'vscode';
import { BitbucketError, isBitbucketError } from '../bitbucket/errors';
import { BitbucketHost, HostedRepository, NewRepository, ProjectInfo } from '../host/types';
import { repositoryNameProblem, slugify } from '../bitbucket/slug';
import { InvalidInputError } from '../common/invalidInputError';
import { Account, Accounts } from '../auth/accounts';
import { AccountModels } from '../tree/accountModels';
import { GitRepository } from '../git/gitApi';
import { MultiStepInput, Step } from '../ui/multiStepInput';
import { openWebLink } from './openInBrowser';
import { Commands } from '../common/commandIds';
import { workspacePickItem } from '../ui/workspacePickItem';

/** What automation (and the integration tests) may pass instead of answering prompts. */
export interface CreateRequest {
  readonly workspace: string;
  /** The account to create through; without it, the first signed-in account that reaches the workspace. */
  readonly accountId?: string;
  readonly name: string;
  readonly isPrivate: boolean;
  readonly description?: string;
  readonly projectKey?: string;
  /** A local git repository to push to the new repository, as "Push This Folder Here" does. */
  readonly pushFolder?: string;
}

interface FlowState {
  workspace?: { slug: string; label: string; account: Account };
  project?: { key?: string; label: string };
  name: string;
  isPrivate: boolean;
  description: string;
  nameError?: string;
  projectError?: string;
  visibilityError?: string;
  descriptionError?: string;
}

const TOTAL_STEPS = 6;

/** A created repository, with the account and workspace it was created through. */
export interface Created {
  readonly account: Account;
  readonly workspace: string;
  readonly repository: HostedRepository;
}

/**
 * Asks for everything, then creates. The workspace step lists every account's workspaces (labelled with
 * the account when there are several); the repository is created through the account chosen with it.
 */
export async function createInteractively(
  accounts: Accounts,
  models: AccountModels<Account>,
  defaults: { name?: string } = {},
): Promise<Created | undefined> {
  requireAccount(accounts);
  const state: FlowState = { name: defaults.name ?? '', isPrivate: true, description: '' };
  const steps = flowSteps(models, accounts.usable.length > 1);
  let start: Step<FlowState> = steps.workspace;
  let firstStep = 1;
  for (;;) {
    await MultiStepInput.run(start, state, TOTAL_STEPS, firstStep);
    const { account, slug } = state.workspace!;
    try {
      const repository = await createWithProgress(account.host(), slug, toInput(state));
      return { account, workspace: slug, repository };
    } catch (error) {
      if (!isBitbucketError(error, 'badRequest') || !error.fieldErrors) throw error;
      // Back to the step the server refused, keeping everything typed so far.
      const back = stepForFieldErrors(error.fieldErrors, steps);
      if (!back) throw error;
      Object.assign(state, back.errors);
      start = back.step;
      firstStep = back.number;
    }
  }
}

/** Creates without prompts through the given account; the same checks and errors as the interactive flow. */
export async function createFromRequest(account: Account, request: CreateRequest): Promise<HostedRepository> {
  const host = account.host();
  const problem = repositoryNameProblem(request.name);
  if (problem) throw new InvalidInputError(problem);
  return createWithProgress(host, request.workspace, {
    name: request.name.trim(),
    isPrivate: request.isPrivate,
    description: request.description,
    projectKey: request.projectKey,
  });
}

function createWithProgress(host: BitbucketHost, workspace: string, input: NewRepository): Promise<HostedRepository> {
  const slug = slugify(input.name);
  return Promise.resolve(
    vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Creating {0}/{1}…', workspace, slug), cancellable: false },
      () => host.createRepository(workspace, slug, input),
    ),
  );
}

function toInput(state: FlowState): NewRepository {
  return {
    name: state.name.trim(),
    isPrivate: state.isPrivate,
    description: state.description.trim() || undefined,
    projectKey: state.project?.key,
  };
}

function flowSteps(models: AccountModels<Account>, severalAccounts: boolean) {
  const host = (state: FlowState): BitbucketHost => state.workspace!.account.host();
  const workspace: Step<FlowState> = async (input, state) => {
    const chosen = await input.pick({
      title: vscode.l10n.t('Create a Bitbucket repository: workspace'),
      placeholder: severalAccounts
        ? vscode.l10n.t('Which workspace will own it, and through which account?')
        : vscode.l10n.t('Which workspace will own it?'),
      items: async () => {
        const workspaces = await models.containersOfAll();
        return [...workspaces]
          .sort((a, b) => Number(b.administrator) - Number(a.administrator))
          .map((entry) => ({
            ...workspacePickItem(entry, severalAccounts),
            detail: entry.administrator ? vscode.l10n.t('You administer this workspace') : undefined,
            slug: entry.slug,
            account: entry.account,
          }));
      },
      activeItem: (item) => item.slug === state.workspace?.slug && item.account === state.workspace?.account,
    });
    if (state.workspace?.slug !== chosen.slug || state.workspace.account !== chosen.account) state.project = undefined;
    state.workspace = { slug: chosen.slug, label: chosen.label, account: chosen.account };
    return project;
  };

  const project: Step<FlowState> = async (input, state) => {
    const slug = state.workspace!.slug;
    const chosen = await input.pick<vscode.QuickPickItem & { key?: string }>({
      title: vscode.l10n.t('Create a Bitbucket repository in {0}: project', state.workspace!.label),
      placeholder: state.projectError ?? vscode.l10n.t('Which project will it belong to?'),
      items: async () => {
        const fallback = {
          iconPath: new vscode.ThemeIcon('folder'),
          label: vscode.l10n.t("The workspace's default project"),
          detail: vscode.l10n.t('Bitbucket puts it in the workspace’s oldest project'),
          key: undefined,
        };
        try {
          const projects: ProjectInfo[] = [];
          for await (const page of host(state).projects(slug)) projects.push(...page);
          return [
            fallback,
            ...projects.map((entry) => ({
              iconPath: new vscode.ThemeIcon('folder'),
              label: entry.name ?? entry.key,
              description: entry.key,
              detail: entry.description || undefined,
              key: entry.key,
            })),
          ];
        } catch (error) {
          // Without read:project (or with an access token) the default project still works.
          return [{ ...fallback, detail: vscode.l10n.t('Projects could not be listed: {0}', (error as Error).message) }];
        }
      },
      activeItem: (item) => item.key === state.project?.key,
    });
    state.projectError = undefined;
    state.project = { key: chosen.key, label: chosen.key ? chosen.label : vscode.l10n.t('default project') };
    return name;
  };

  const name: Step<FlowState> = async (input, state) => {
    const slug = state.workspace!.slug;
    state.name = await input.text({
      title: vscode.l10n.t('Create a Bitbucket repository in {0}: name', state.workspace!.label),
      prompt: vscode.l10n.t('A name for the repository'),
      placeholder: vscode.l10n.t('e.g. payments-api'),
      value: state.name,
      initialError: state.nameError,
      validate: repositoryNameProblem,
      describe: (value) => {
        const candidate = slugify(value);
        return candidate ? vscode.l10n.t('Its address will be {0}/{1}', slug, candidate) : vscode.l10n.t('A name for the repository');
      },
      validateLater: async (value, signal) => {
        const candidate = slugify(value);
        try {
          await host(state).repository({ container: slug, slug: candidate }, signal);
          return vscode.l10n.t('{0}/{1} already exists. Choose another name.', slug, candidate);
        } catch {
          // Not found is what we hope for; any other failure is left to the create call to report.
          return undefined;
        }
      },
    });
    state.nameError = undefined;
    return visibility;
  };

  const visibility: Step<FlowState> = async (input, state) => {
    const chosen = await input.pick({
      title: vscode.l10n.t('Create {0}/{1}: visibility', state.workspace!.slug, slugify(state.name)),
      placeholder: state.visibilityError ?? vscode.l10n.t('Who can see it?'),
      items: [
        {
          iconPath: new vscode.ThemeIcon('lock'),
          label: vscode.l10n.t('Private'),
          detail: vscode.l10n.t('Only people you give access to'),
          isPrivate: true,
        },
        {
          iconPath: new vscode.ThemeIcon('globe'),
          label: vscode.l10n.t('Public'),
          detail: vscode.l10n.t('Anyone on the internet can see and clone it'),
          isPrivate: false,
        },
      ],
      activeItem: (item) => item.isPrivate === state.isPrivate,
    });
    state.isPrivate = chosen.isPrivate;
    state.visibilityError = undefined;
    return description;
  };

  const description: Step<FlowState> = async (input, state) => {
    state.description = await input.text({
      title: vscode.l10n.t('Create {0}/{1}: description', state.workspace!.slug, slugify(state.name)),
      prompt: vscode.l10n.t('Optional: a sentence about what it holds. Press Enter to skip.'),
      value: state.description,
      initialError: state.descriptionError,
      validate: (value) => (value.length > 1000 ? vscode.l10n.t('Keep the description under 1,000 characters.') : undefined),
    });
    state.descriptionError = undefined;
    return confirm;
  };

  const confirm: Step<FlowState> = async (input, state) => {
    const slug = slugify(state.name);
    const renamed = slug !== state.name.trim();
    await input.pick({
      title: vscode.l10n.t('Create {0}/{1}: confirm', state.workspace!.slug, slug),
      placeholder: vscode.l10n.t('Check, then press Enter to create it (or go Back)'),
      items: [
        {
          iconPath: new vscode.ThemeIcon('add'),
          label: state.isPrivate
            ? vscode.l10n.t('Create private repository {0}/{1}', state.workspace!.slug, slug)
            : vscode.l10n.t('Create public repository {0}/{1}', state.workspace!.slug, slug),
          description: state.project?.key ? vscode.l10n.t('in project {0}', state.project.label) : vscode.l10n.t('in the default project'),
          detail:
            [
              renamed ? vscode.l10n.t('"{0}" gets the address {1}/{2}.', state.name.trim(), state.workspace!.slug, slug) : undefined,
              state.description.trim() ? vscode.l10n.t('Description: {0}', state.description.trim()) : undefined,
            ]
              .filter(Boolean)
              .join(' ') || undefined,
        },
      ],
    });
    return undefined;
  };

  return { workspace, project, name, visibility, description, confirm };
}

/** Which step a server's field errors (named as in NewRepository) belong to; fields the flow does not ask for have none. */
function stepForFieldErrors(fields: Readonly<Record<string, readonly string[]>>, steps: ReturnType<typeof flowSteps>) {
  const text = (name: string) => fields[name]?.join(' ');
  if (text('project')) return { step: steps.project, number: 2, errors: { projectError: text('project') } };
  if (text('name')) return { step: steps.name, number: 3, errors: { nameError: text('name') } };
  if (text('isPrivate')) return { step: steps.visibility, number: 4, errors: { visibilityError: text('isPrivate') } };
  if (text('description')) return { step: steps.description, number: 5, errors: { descriptionError: text('description') } };
  return undefined;
}

function requireAccount(accounts: Accounts): void {
  if (accounts.usable.length === 0) {
    throw new BitbucketError('unauthorized', vscode.l10n.t('Sign in to Bitbucket before creating a repository.'));
  }
}

export interface AfterCreateDeps {
  readonly models: AccountModels<Account>;
  /** The git repository of the open folder, if it has commits and no Bitbucket remote yet. */
  readonly publishableFolder: () => Promise<GitRepository | undefined>;
  /** Pushes through the account the repository was created with. */
  readonly push: (local: GitRepository, repository: HostedRepository, account: Account) => Promise<void>;
  /** Opens the git repository at a path and pushes it, for automation. */
  readonly pushFolder: (folder: string, repository: HostedRepository, account: Account) => Promise<void>;
}

/** Shows the new repository first in its workspace and offers what people do next. */
export async function announceCreated(deps: AfterCreateDeps, created: Created): Promise<void> {
  const { account, workspace, repository } = created;
  deps.models.model(account.id)?.addRepository(workspace, repository);
  const folder = await deps.publishableFolder();
  const clone = vscode.l10n.t({ message: 'Clone', comment: ['Button: clones the repository just created'] });
  const openInBrowser = vscode.l10n.t('Open in Browser');
  const pushHere = vscode.l10n.t('Push This Folder Here');
  const actions = [clone, openInBrowser, ...(folder ? [pushHere] : [])];
  const choice = await vscode.window.showInformationMessage(vscode.l10n.t('Created {0}.', repository.fullName), ...actions);
  if (choice === clone) await vscode.commands.executeCommand(Commands.clone, { repository, accountId: account.id });
  else if (choice === openInBrowser) await openWebLink(repository.webUrl, repository.fullName);
  else if (choice === pushHere && folder) await deps.push(folder, repository, account);
}
