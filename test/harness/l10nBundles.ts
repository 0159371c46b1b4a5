// The extension's translation files as the tests read them: the English bundle translators start from, and the
// pseudo-locale bundles `npm run l10n` writes (scripts/l10n.js). No `vscode` import: the extension-host suite
// (test/l10n) and the UI suite (test/ui) both use it.
import * as fs from 'node:fs';
import * as path from 'node:path';

import { repoRoot } from './paths';

type Entry = string | { message: string; comment?: string[] };

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(path.join(repoRoot, file), 'utf8')) as T;
}

/** l10n/bundle.l10n.json: key (the message, with `/comment` when it has one) → the English. */
export const englishBundle = readJson<Record<string, Entry>>('l10n/bundle.l10n.json');
/** l10n/bundle.l10n.qps-ploc.json: the same keys → the pseudo-locale text. */
export const pseudoBundle = readJson<Record<string, string>>('l10n/bundle.l10n.qps-ploc.json');
/** package.nls.json and package.nls.qps-ploc.json: the manifest's %key%s → its words. */
export const englishManifest = readJson<Record<string, string>>('package.nls.json');
export const pseudoManifest = readJson<Record<string, string>>('package.nls.qps-ploc.json');

/** The English message of a bundle key. */
export function englishOf(key: string): string {
  const entry = englishBundle[key];
  return typeof entry === 'string' ? entry : entry.message;
}
