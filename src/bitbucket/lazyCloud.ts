/**
 * The Cloud client stack on first use. Activation needs none of it (the tree asks only once it is shown),
 * and zod's schemas and node-fetch are most of the extension's code: they are a bundle of their own
 * (dist/cloud.js, see SPLIT in esbuild.js), read and compiled when this first runs.
 */
import type * as Cloud from './cloud';

export function cloud(): typeof Cloud {
  // Node keeps the module once loaded: this costs a lookup after the first call. No module state here, so
  // the bundles that copy this file share the one loaded module (checkSplit in esbuild.js).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./cloud') as typeof Cloud;
}
