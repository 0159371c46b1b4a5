/** Every command id in one place. User commands appear in the palette; internal ones are hidden with `when: false`. */
export const Commands = {
  signIn: 'bitbucket.signIn',
  addAccount: 'bitbucket.addAccount',
  signOut: 'bitbucket.signOut',
  refresh: 'bitbucket.refresh',
  filterRepositories: 'bitbucket.filterRepositories',
  openInBrowser: 'bitbucket.openInBrowser',
  clone: 'bitbucket.clone',
  openWithoutCloning: 'bitbucket.openWithoutCloning',
  openUrl: 'bitbucket.openUrl',
  cloneBrowsed: 'bitbucket.cloneBrowsed',
  switchBranch: 'bitbucket.switchBranch',
  refreshBrowsed: 'bitbucket.refreshBrowsed',
  goToFile: 'bitbucket.goToFile',
  copyCloneUrl: 'bitbucket.copyCloneUrl',
  copyFileLink: 'bitbucket.copyFileLink',
  openFileOnBitbucket: 'bitbucket.openFileOnBitbucket',
  createRepository: 'bitbucket.createRepository',
  showLog: 'bitbucket.showLog',
  openWalkthrough: 'bitbucket.openWalkthrough',
} as const;

/** Invoked from tree nodes, never from the palette. */
export const InternalCommands = {
  loadMore: 'bitbucket.loadMore',
  retry: 'bitbucket.retry',
} as const;
