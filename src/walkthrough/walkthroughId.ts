/** The walkthrough's `id` in package.json (`contributes.walkthroughs`). No `vscode` import, for the unit tests. */
export const WALKTHROUGH_ID = 'getStarted';
