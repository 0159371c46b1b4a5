/**
 * Sign in and out. The interactive flow asks for the kind of credential and its parts, validating as the
 * user types; `signInWith` checks the credential against Bitbucket and stores it only when that succeeds.
 */
import * as vscode from 'vscode';
import { Credential } from '../bitbucket/credentials';
import { BitbucketError } from '../bitbucket/errors';
import { Logger } from '../bitbucket/http';
import { readSettings } from '../config';
import { CredentialStore, StoredCredential } from './credentialStore';
import { API_TOKEN_PAGE, ACCESS_TOKEN_HELP_PAGE, REQUIRED_SCOPES } from './tokenHelp';
import { InvalidInputError } from '../invalidInputError';
import { validateEmail, validateToken, validateWorkspace } from './credentialInput';
import { verifyCredential } from './verifyCredential';

/** A credential typed by the user, or handed to `bitbucket.signIn` by automation. */
export type SignInRequest =
  | { kind: 'apiToken'; email: string; token: string }
  | { kind: 'accessToken'; token: string; workspace: string };

/** Asks for a credential, checks it, and stores it. Returns undefined when the user cancels. */
export async function signInInteractively(store: CredentialStore, logger: Logger): Promise<StoredCredential | undefined> {
  let previous: SignInRequest | undefined;
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
      const again = await vscode.window.showErrorMessage(message, { modal: true }, 'Try Again', 'Create API Token');
      if (again === 'Create API Token') void vscode.env.openExternal(vscode.Uri.parse(API_TOKEN_PAGE));
      if (again !== 'Try Again') return undefined;
    }
  }
}

/** Checks the credential with Bitbucket (with cancellable progress) and stores it only if it works. */
export async function signInWith(request: SignInRequest, store: CredentialStore, logger: Logger): Promise<StoredCredential> {
  const credential: Credential =
    request.kind === 'apiToken'
      ? { kind: 'apiToken', email: request.email.trim(), token: request.token.trim() }
      : { kind: 'accessToken', token: request.token.trim(), workspace: request.workspace.trim() };
  const problem =
    request.kind === 'apiToken'
      ? validateEmail(request.email) ?? validateToken(request.token, 'apiToken')
      : validateWorkspace(request.workspace) ?? validateToken(request.token, 'accessToken');
  if (problem) throw new InvalidInputError(problem);
  const settings = readSettings();
  const account = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Checking your Bitbucket credentials…', cancellable: true },
    (_progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      return verifyCredential(credential, { baseUrl: settings.apiUrl, logger, timeoutMs: settings.requestTimeoutMs }, controller.signal);
    },
  );
  const stored: StoredCredential = { credential, account };
  await store.save(stored);
  logger.info(`Signed in as ${account.label} (${account.kind === 'apiToken' ? 'API token' : 'access token'}).`);
  return stored;
}

async function askForCredential(previous?: SignInRequest): Promise<SignInRequest | undefined> {
  const kind = await vscode.window.showQuickPick(
    [
      {
        label: '$(key) API token',
        description: 'recommended',
        detail: 'An Atlassian API token with your Atlassian account email. Sees all your workspaces.',
        credentialKind: 'apiToken' as const,
      },
      {
        label: '$(lock) Access token',
        detail: 'A repository, project or workspace access token. Sees one workspace.',
        credentialKind: 'accessToken' as const,
      },
    ],
    { title: 'Sign in to Bitbucket', placeHolder: 'Which kind of credential do you have?', ignoreFocusOut: true },
  );
  if (!kind) return undefined;
  if (kind.credentialKind === 'apiToken') {
    const email = await askText({
      title: 'Sign in to Bitbucket (1/2): Atlassian account email',
      prompt: 'The email you sign in to Atlassian with. Git will not see it.',
      placeholder: 'you@example.com',
      value: previous?.kind === 'apiToken' ? previous.email : undefined,
      validate: validateEmail,
    });
    if (email === undefined) return undefined;
    const token = await askText({
      title: 'Sign in to Bitbucket (2/2): API token',
      prompt: `Create one with the scopes ${REQUIRED_SCOPES.join(', ')} (button above opens the page).`,
      placeholder: 'ATATT…',
      password: true,
      validate: (value) => validateToken(value, 'apiToken'),
      helpUrl: API_TOKEN_PAGE,
    });
    return token === undefined ? undefined : { kind: 'apiToken', email: email.trim(), token: token.trim() };
  }
  const token = await askText({
    title: 'Sign in to Bitbucket (1/2): access token',
    prompt: 'A repository, project or workspace access token, from the settings of that repository, project or workspace.',
    placeholder: 'ATCTT…',
    password: true,
    validate: (value) => validateToken(value, 'accessToken'),
    helpUrl: ACCESS_TOKEN_HELP_PAGE,
  });
  if (token === undefined) return undefined;
  const workspace = await askText({
    title: 'Sign in to Bitbucket (2/2): workspace',
    prompt: 'Access tokens cannot list workspaces, so name the one this token belongs to.',
    placeholder: 'workspace-slug',
    value: previous?.kind === 'accessToken' ? previous.workspace : undefined,
    validate: validateWorkspace,
  });
  return workspace === undefined ? undefined : { kind: 'accessToken', token: token.trim(), workspace: workspace.trim() };
}

interface TextQuestion {
  readonly title: string;
  readonly prompt: string;
  readonly placeholder: string;
  readonly value?: string;
  readonly password?: boolean;
  readonly validate: (value: string) => string | undefined;
  /** Shown as a title-bar button that opens the page. */
  readonly helpUrl?: string;
}

/** An input box that validates as the user types and can link to where a token is made. */
function askText(question: TextQuestion): Promise<string | undefined> {
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    box.title = question.title;
    box.prompt = question.prompt;
    box.placeholder = question.placeholder;
    box.value = question.value ?? '';
    box.password = question.password ?? false;
    box.ignoreFocusOut = true;
    const helpButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('link-external'), tooltip: 'Open the page where you create a token' };
    if (question.helpUrl) box.buttons = [helpButton];
    let settled = false;
    const finish = (value: string | undefined) => {
      if (settled) return;
      settled = true;
      resolve(value);
      box.dispose();
    };
    box.onDidChangeValue((value) => {
      box.validationMessage = value ? question.validate(value) : undefined;
    });
    box.onDidTriggerButton((button) => {
      if (button === helpButton && question.helpUrl) void vscode.env.openExternal(vscode.Uri.parse(question.helpUrl));
    });
    box.onDidAccept(() => {
      const problem = question.validate(box.value);
      if (problem) {
        box.validationMessage = problem;
        return;
      }
      finish(box.value);
    });
    box.onDidHide(() => finish(undefined));
    box.show();
  });
}
