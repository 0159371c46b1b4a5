/**
 * The Get Started walkthrough (contributes.walkthroughs), opened once after the install for someone new, and on
 * demand by "Bitbucket: Get Started".
 *
 * VS Code opens an installed extension's walkthrough itself only when its walkthrough service is already running
 * in that window, which in practice means the Welcome page was shown there (microsoft/vscode#184960): a window
 * that starts without it, or restored its editors, opens nothing. So on its first start as an installed extension
 * (never when loaded for development or tests), with no account yet, the extension opens it, once: the memento
 * records that it did, in every window. Opening a walkthrough VS Code already shows only brings it forward.
 */
import * as vscode from 'vscode';
import type { ErrorFunnel } from '../common/errorFunnel';
import type { Logger } from '../common/logger';
import { Commands } from '../common/commandIds';
import { WALKTHROUGH_ID } from './walkthroughId';

/** globalState: set once the walkthrough was offered after the install, so that it never opens unbidden again. */
export const WALKTHROUGH_OFFERED_KEY = 'bitbucket.walkthroughOffered';

export interface WalkthroughDeps {
  readonly context: vscode.ExtensionContext;
  readonly funnel: ErrorFunnel;
  readonly log: Logger;
  /** Whether anyone is signed in, once the stored accounts are read. */
  readonly hasAccounts: () => Promise<boolean>;
}

export function initializeWalkthrough(deps: WalkthroughDeps): vscode.Disposable {
  const { context, funnel, log } = deps;
  const open = () => vscode.commands.executeCommand('workbench.action.openWalkthrough', `${context.extension.id}#${WALKTHROUGH_ID}`, false);
  offerAfterInstall(deps, open).catch((error: unknown) =>
    log.warn(`Could not open the Get Started walkthrough: ${(error as Error).message}`),
  );
  return vscode.commands.registerCommand(Commands.openWalkthrough, funnel.wrap(Commands.openWalkthrough, open));
}

async function offerAfterInstall({ context, hasAccounts }: WalkthroughDeps, open: () => Thenable<unknown>): Promise<void> {
  if (context.extensionMode !== vscode.ExtensionMode.Production) return;
  if (context.globalState.get<boolean>(WALKTHROUGH_OFFERED_KEY)) return;
  // Recorded before anything else, so that a window starting at the same time, or the next start, does not offer it.
  await context.globalState.update(WALKTHROUGH_OFFERED_KEY, true);
  // Someone signed in already (an update from a version without it, or accounts from another window) knows the way.
  if (await hasAccounts()) return;
  if (vscode.workspace.getConfiguration('workbench.welcomePage').get<boolean>('walkthroughs.openOnInstall') === false) return;
  await open();
}
