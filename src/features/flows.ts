/**
 * The interactive flows commands start: signing in, creating a repository, a file's link. None runs at
 * activation, so they are a bundle of their own (dist/flows.js, see SPLIT in esbuild.js), required through
 * `lazyFlows.ts` when a command first needs one.
 */
export { signInInteractively, signInWith } from '../auth/signIn';
export { announceCreated, createFromRequest, createInteractively } from './create';
export { linkFor } from './fileLinks';
