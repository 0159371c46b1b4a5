/**
 * The Get Started walkthrough (contributes.walkthroughs). VS Code itself opens it once, when the extension is
 * installed from the Marketplace or the Extensions view, if the person's
 * `workbench.welcomePage.walkthroughs.openOnInstall` allows, and never again unbidden; the extension host
 * cannot read that setting reliably (code-server's does not see it), so the extension opens nothing by itself.
 * "Bitbucket: Get Started" opens it on demand.
 */
import * as vscode from 'vscode';
import type { ErrorFunnel } from '../common/errorFunnel';
import { Commands } from '../common/commandIds';
import { WALKTHROUGH_ID } from './walkthroughId';

export interface WalkthroughDeps {
  readonly context: vscode.ExtensionContext;
  readonly funnel: ErrorFunnel;
}

export function initializeWalkthrough({ context, funnel }: WalkthroughDeps): vscode.Disposable {
  return vscode.commands.registerCommand(
    Commands.openWalkthrough,
    funnel.wrap(Commands.openWalkthrough, () =>
      vscode.commands.executeCommand('workbench.action.openWalkthrough', `${context.extension.id}#${WALKTHROUGH_ID}`, false),
    ),
  );
}
