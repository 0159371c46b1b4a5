/**
 * Sign in: add an account, or sign in again to one. The interactive flow asks for the kind of credential
 * and its parts, validating as the user types; `signInWith` checks the credential against Bitbucket and
 * stores it only when that succeeds. The same account signed in twice is updated, not added again.
 */
import * as vscode from 'vscode';
import { Credential } from '../bitbucket/credentials';
import { BitbucketError } from '../bitbucket/errors';
import { Logger } from '../common/logger';
import { readSettings } from '../config';
import { AccountStore, StoredAccount } from './accountStore';
import { API_TOKEN_PAGE, ACCESS_TOKEN_HELP_PAGE, REQUIRED_SCOPES } from './tokenHelp';
import { InvalidInputError } from '../common/invalidInputError';
import { validateEmail, validateToken, validateWorkspace } from './credentialInput';
import { MultiStepInput, Step } from '../ui/multiStepInput';
import { cloud } from '../bitbucket/lazyCloud';
import { normaliseServerUrl } from '../datacenter/dataCenterCredential';

/** A credential typed by the user, or handed to `bitbucket.signIn` by automation. */
export type SignInRequest =
  | { kind: 'apiToken'; email: string; token: string }
  | { kind: 'accessToken'; token: string; workspace: string }
  | { kind: 'dataCenterToken'; serverUrl: string; token: string };

/** What a sign-in did: the account, and whether it was new or an update of one already signed in. */
export interface SignedIn {
  readonly stored: StoredAccount;
  readonly added: boolean;
}

/**
 * Asks for a credential, checks it, and stores it. Returns undefined when the user cancels. Signing in
 * again to a known account starts from its email or workspace.
 */
export async function signInInteractively(store: AccountStore, logger: Logger, again?: StoredAccount): Promise<SignedIn | undefined> {
  let previous: SignInRequest | undefined = again && requestFor(again);
  for (;;) {
    // On "Try Again" the email or workspace typed last time is filled in; only the secret is asked afresh.
    const request = await askForCredential(previous);
    if (!request) return undefined;
    previous = request;
    try {
      return await signInWith(request, store, logger);
    } catch (error) {
      if (error instanceof BitbucketError && error.kind === 'cancelled') return undefined;
      const message = error instanceof Error ? error.message : String(error);
      // Modal: the user is in the middle of signing in, and a toast could slip away unanswered.
      const tryAgain = vscode.l10n.t('Try Again');
      const createToken = vscode.l10n.t('Create API Token');
      const again = await vscode.window.showErrorMessage(message, { modal: true }, tryAgain, createToken);
      if (again === createToken) void vscode.env.openExternal(vscode.Uri.parse(API_TOKEN_PAGE));
      if (again !== tryAgain) return undefined;
    }
  }
}

/** Checks the credential with Bitbucket (with cancellable progress) and stores it only if it works. */
export async function signInWith(request: SignInRequest, store: AccountStore, logger: Logger): Promise<SignedIn> {
  if (request.kind === 'dataCenterToken') return signInToDataCenter(request, store, logger);
  const credential: Credential =
    request.kind === 'apiToken'
      ? { kind: 'apiToken', email: request.email.trim(), token: request.token.trim() }
      : { kind: 'accessToken', token: request.token.trim(), workspace: request.workspace.trim() };
  const problem =
    request.kind === 'apiToken'
      ? (validateEmail(request.email) ?? validateToken(request.token, 'apiToken'))
      : (validateWorkspace(request.workspace) ?? validateToken(request.token, 'accessToken'));
  if (problem) throw new InvalidInputError(problem);
  const settings = readSettings();
  const account = await withCancellableProgress(vscode.l10n.t('Checking your Bitbucket credentials…'), (signal) =>
    cloud().verifyCredential(credential, { baseUrl: settings.apiUrl, logger, timeoutMs: settings.requestTimeoutMs }, signal),
  );
  const stored: StoredAccount = { credential, account };
  const added = await store.save(stored);
  // eslint-disable-next-line l10n/user-facing-strings -- only goes into the log line below, which stays in English
  const kind = account.kind === 'apiToken' ? 'API token' : 'access token';
  logger.info(
    added ? `Added the account ${account.label} (${kind}).` : `Signed in again as ${account.label} (${kind}); its record is updated.`,
  );
  return { stored, added };
}

/**
 * A Data Center server and token: the server is checked (it answers as Bitbucket Data Center), then the token
 * (it reaches at least one project or repository), before anything is kept.
 */
async function signInToDataCenter(request: { serverUrl: string; token: string }, store: AccountStore, logger: Logger): Promise<SignedIn> {
  const problem =
    validateServerUrl(request.serverUrl) ?? (request.token.trim() ? undefined : vscode.l10n.t('Enter the HTTP access token.'));
  if (problem) throw new InvalidInputError(problem);
  const settings = readSettings();
  const verified = await withCancellableProgress(vscode.l10n.t('Checking the Bitbucket Data Center server and token…'), (signal) =>
    cloud().dataCenter.verifyDataCenter(request.serverUrl.trim(), request.token.trim(), {
      logger,
      timeoutMs: settings.requestTimeoutMs,
      signal,
    }),
  );
  const { id, label, serverUrl, tokenScope } = verified.account;
  const stored: StoredAccount = { credential: verified.credential, account: { id, label, kind: 'dataCenterToken', serverUrl, tokenScope } };
  const added = await store.save(stored);
  logger.info(
    `${added ? 'Added' : 'Signed in again as'} ${label} (Bitbucket Data Center ${verified.account.version}, ${tokenScope} token).`,
  );
  if (verified.account.warning) void vscode.window.showWarningMessage(verified.account.warning);
  return { stored, added };
}

/** Runs a check under a cancellable notification; cancelling it aborts the check's requests. */
function withCancellableProgress<T>(title: string, check: (signal: AbortSignal) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (_progress, token) => {
    const controller = new AbortController();
    token.onCancellationRequested(() => controller.abort());
    return check(controller.signal);
  });
}

/**
 * A server address people may type: with or without https://, possibly a page of the server. Read as the
 * sign-in will read it (`normaliseServerUrl`), so what passes here is what gets checked.
 */
function validateServerUrl(value: string): string | undefined {
  if (!value.trim()) {
    return vscode.l10n.t('Enter the address you open Bitbucket Data Center at, such as {0}.', 'https://bitbucket.example.com');
  }
  try {
    normaliseServerUrl(value);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** The known parts of an account's credential, to start a new sign-in from (the secret is asked afresh). */
function requestFor(stored: StoredAccount): SignInRequest {
  const credential = stored.credential;
  if (credential.kind === 'dataCenterToken') return { kind: 'dataCenterToken', serverUrl: credential.serverUrl, token: '' };
  return credential.kind === 'apiToken'
    ? { kind: 'apiToken', email: credential.email, token: '' }
    : { kind: 'accessToken', workspace: credential.workspace, token: '' };
}

interface SignInState {
  kind: SignInRequest['kind'];
  email: string;
  token: string;
  workspace: string;
  serverUrl: string;
}

/** Kind, then email and token (API token) or token and workspace (access token), with Back on each step. */
async function askForCredential(previous?: SignInRequest): Promise<SignInRequest | undefined> {
  const state: SignInState = {
    kind: previous?.kind ?? 'apiToken',
    email: previous?.kind === 'apiToken' ? previous.email : '',
    token: '',
    workspace: previous?.kind === 'accessToken' ? previous.workspace : '',
    serverUrl: previous?.kind === 'dataCenterToken' ? previous.serverUrl : '',
  };
  const kind: Step<SignInState> = async (input, current) => {
    const chosen = await input.pick({
      title: vscode.l10n.t('Sign in to Bitbucket'),
      placeholder: vscode.l10n.t('Which kind of credential do you have?'),
      items: [
        {
          iconPath: new vscode.ThemeIcon('key'),
          label: vscode.l10n.t('API token'),
          description: vscode.l10n.t({ message: 'recommended', comment: ['Beside "API token" in the list of credential kinds'] }),
          detail: vscode.l10n.t('An Atlassian API token with your Atlassian account email. Sees all your workspaces.'),
          credentialKind: 'apiToken' as const,
        },
        {
          iconPath: new vscode.ThemeIcon('lock'),
          label: vscode.l10n.t('Access token'),
          detail: vscode.l10n.t('A repository, project or workspace access token. Sees one workspace.'),
          credentialKind: 'accessToken' as const,
        },
        {
          iconPath: new vscode.ThemeIcon('server'),
          label: vscode.l10n.t('Bitbucket Data Center'),
          detail: vscode.l10n.t('Your company’s own Bitbucket server, with an HTTP access token (personal, project or repository).'),
          credentialKind: 'dataCenterToken' as const,
        },
      ],
      activeItem: (item) => item.credentialKind === current.kind,
    });
    current.kind = chosen.credentialKind;
    return current.kind === 'apiToken' ? email : current.kind === 'accessToken' ? accessToken : serverUrl;
  };
  const serverUrl: Step<SignInState> = async (input, current) => {
    current.serverUrl = await input.text({
      title: vscode.l10n.t('Sign in to Bitbucket Data Center: server'),
      prompt: vscode.l10n.t('The address you open Bitbucket at in the browser (a page of it works too).'),
      // eslint-disable-next-line l10n/user-facing-strings -- an example address (reserved example.com domain), no words to translate
      placeholder: 'https://bitbucket.example.com',
      value: current.serverUrl,
      validate: validateServerUrl,
    });
    return dataCenterToken;
  };
  const dataCenterToken: Step<SignInState> = async (input, current) => {
    current.token = await input.text({
      title: vscode.l10n.t('Sign in to Bitbucket Data Center: HTTP access token'),
      prompt: vscode.l10n.t(
        'Create one under your profile’s Manage account → HTTP access tokens (or a project’s or repository’s settings), with Repository write permission to push.',
      ),
      // eslint-disable-next-line l10n/user-facing-strings -- the literal prefix Data Center tokens start with, not words
      placeholder: 'BBDC-…',
      value: '',
      password: true,
      validate: (value) => (value.trim() ? undefined : vscode.l10n.t('Enter the token.')),
    });
    return undefined;
  };
  const email: Step<SignInState> = async (input, current) => {
    current.email = await input.text({
      title: vscode.l10n.t('Sign in to Bitbucket: Atlassian account email'),
      prompt: vscode.l10n.t('The email you sign in to Atlassian with. Git will not see it.'),
      placeholder: vscode.l10n.t('you@example.com'),
      value: current.email,
      validate: validateEmail,
    });
    return apiToken;
  };
  const apiToken: Step<SignInState> = async (input, current) => {
    current.token = await input.text({
      title: vscode.l10n.t('Sign in to Bitbucket: API token'),
      prompt: vscode.l10n.t('Create one with the scopes {0} (the button above opens the page).', REQUIRED_SCOPES.join(', ')),
      // eslint-disable-next-line l10n/user-facing-strings -- the literal prefix Atlassian API tokens start with, not words
      placeholder: 'ATATT…',
      value: '',
      password: true,
      validate: (value) => validateToken(value, 'apiToken'),
      help: { url: API_TOKEN_PAGE, tooltip: vscode.l10n.t('Open the page where you create a token') },
    });
    return undefined;
  };
  const accessToken: Step<SignInState> = async (input, current) => {
    current.token = await input.text({
      title: vscode.l10n.t('Sign in to Bitbucket: access token'),
      prompt: vscode.l10n.t('A repository, project or workspace access token, from the settings of that repository, project or workspace.'),
      // eslint-disable-next-line l10n/user-facing-strings -- the literal prefix Bitbucket access tokens start with, not words
      placeholder: 'ATCTT…',
      value: '',
      password: true,
      validate: (value) => validateToken(value, 'accessToken'),
      help: { url: ACCESS_TOKEN_HELP_PAGE, tooltip: vscode.l10n.t('Open the page about access tokens') },
    });
    return workspace;
  };
  const workspace: Step<SignInState> = async (input, current) => {
    current.workspace = await input.text({
      title: vscode.l10n.t('Sign in to Bitbucket: workspace'),
      prompt: vscode.l10n.t('Access tokens cannot list workspaces, so name the one this token belongs to.'),
      placeholder: vscode.l10n.t('workspace-slug'),
      value: current.workspace,
      validate: validateWorkspace,
    });
    return undefined;
  };
  try {
    await MultiStepInput.run(kind, state, 3);
  } catch (error) {
    if (error instanceof vscode.CancellationError) return undefined;
    throw error;
  }
  if (state.kind === 'dataCenterToken') return { kind: 'dataCenterToken', serverUrl: state.serverUrl.trim(), token: state.token.trim() };
  return state.kind === 'apiToken'
    ? { kind: 'apiToken', email: state.email.trim(), token: state.token.trim() }
    : { kind: 'accessToken', token: state.token.trim(), workspace: state.workspace.trim() };
}
