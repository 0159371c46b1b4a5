/**
 * What browsing keeps in global state, named here so that activation can tell whether anything is pending
 * without loading the browse bundle. No `vscode` import.
 */

/** The commit (and the branch or tag it came from) each browsed repository is pinned to. */
export const BROWSE_MOUNTS_KEY = 'bitbucket.browseMounts';
/** Editors to move to a clone's files once the clone is open (Clone This Repository). */
export const PENDING_MOVE_KEY = 'bitbucket.browsePendingMove';
/** A file or folder to show once its browsed folder is open (Open Bitbucket URL…). */
export const PENDING_REVEAL_KEY = 'bitbucket.browsePendingReveal';
/** How long a pending move or reveal is kept: it is for the restart that opening a folder causes. */
export const PENDING_FOR_MS = 60_000;

/** Context key: a repository opened without cloning is among the workspace folders. */
export const BROWSING_CONTEXT_KEY = 'bitbucket.browsing';
