/** The flows of `flows.ts`, loaded when a command first needs one rather than at activation. */
import type * as Flows from './flows';

export function flows(): typeof Flows {
  // Node keeps the module once loaded: this costs a lookup after the first call. No module state here, so
  // the bundles that copy this file share the one loaded module (checkSplit in esbuild.js).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./flows') as typeof Flows;
}
