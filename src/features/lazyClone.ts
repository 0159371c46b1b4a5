/**
 * The clone flow on first use: it brings git's process handling and the askpass server (child_process,
 * crypto, net), which activation has no need of.
 */
import type * as Clone from './clone';

let loaded: typeof Clone | undefined;

export function cloneFeature(): typeof Clone {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('./clone') as typeof Clone;
  return loaded;
}
