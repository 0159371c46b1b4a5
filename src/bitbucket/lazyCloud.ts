/**
 * The Cloud client stack on first use. Activation needs none of it (the tree asks only once it is shown),
 * and evaluating zod's schemas and node-fetch is most of what loading the bundle costs; a `require` here
 * makes esbuild initialize those modules when this runs rather than when the bundle loads.
 */
import type * as Cloud from './cloud';

let loaded: typeof Cloud | undefined;

export function cloud(): typeof Cloud {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('./cloud') as typeof Cloud;
  return loaded;
}
