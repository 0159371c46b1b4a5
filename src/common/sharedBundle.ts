/**
 * The error classes every bundle of the extension uses (see SPLIT in esbuild.js): bundled once, into
 * dist/shared.js, so that `instanceof` holds whichever bundle made the error; and the localised words of the
 * layers that do not import `vscode`, so that every bundle reads the one table `activate` set.
 */
export * from './l10n';
export * from './explainedError';
export * from './invalidInputError';
export * from '../bitbucket/errors';
export * from '../host/errors';
export * from '../git/gitErrors';
