/** Opens a web page Bitbucket linked to, once the link has passed `webLink` (https, or http to this machine). */
import * as vscode from 'vscode';
import { webLink } from '../host/links';

/** `what` names the page (a repository's full name, a file's path) in the warning shown when the link is missing or not one to open. */
export async function openWebLink(href: string | undefined, what: string): Promise<void> {
  const safe = webLink(href);
  if (safe) {
    await vscode.env.openExternal(vscode.Uri.parse(safe));
    return;
  }
  void vscode.window.showWarningMessage(
    vscode.l10n.t('Bitbucket gave no web page for {0} that can be opened: only https links are.', what),
  );
}
