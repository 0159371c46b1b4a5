/**
 * The clone flow on first use: it brings git's process handling and the askpass server (child_process,
 * crypto, net), which activation has no need of.
 */
import type * as Clone from './clone';

export function cloneFeature(): typeof Clone {
  // Node keeps the module once loaded: this costs a lookup after the first call. No module state here, so
  // the bundles that copy this file share the one loaded module (checkSplit in esbuild.js).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./clone') as typeof Clone;
}
