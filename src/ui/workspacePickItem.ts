/**
 * How a workspace (or Data Center project) reads in a pick: its name, with its slug beside it (not twice while
 * the name is not yet known), and whose it is when several accounts are signed in. No `vscode` import.
 */
export function workspacePickItem(
  workspace: { readonly slug: string; readonly displayName?: string; readonly account: { readonly label: string } },
  severalAccounts: boolean,
): { label: string; description: string } {
  return {
    label: workspace.displayName ?? workspace.slug,
    description: [workspace.displayName ? workspace.slug : undefined, severalAccounts ? workspace.account.label : undefined]
      .filter(Boolean)
      .join(' · '),
  };
}
