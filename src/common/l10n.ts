/**
 * Localised words for the layers that do not import `vscode` (the REST clients, the hosts, the error
 * classes), so their messages read in the person's language too. Code that imports `vscode` calls
 * `vscode.l10n.t` itself; both read the same table, the one VS Code loaded for this extension
 * (`l10n/bundle.l10n.<language>.json`), which `activate` hands over with `useL10nBundle(vscode.l10n.bundle)`.
 *
 * Keys, placeholders and comments work as in `vscode.l10n.t`: the key is the English message (with
 * `/comment` after it when there is a comment), `{0}` takes the first argument and `{name}` a named one.
 * This module lives in the shared bundle (SPLIT in esbuild.js), so every bundle sees the one table.
 */

type Argument = string | number | boolean;
type Entry = string | { message: string; comment?: string | string[] };

let table: Record<string, Entry> | undefined;

/** Uses VS Code's table for this extension's language; `undefined` (English) goes back to the messages as written. */
export function useL10nBundle(contents: Record<string, Entry> | undefined): void {
  table = contents;
}

/** A manifest word as VS Code hands it over: the text, or `{ value, original }` where a translation replaced it. */
type ManifestText = string | { value: string };
export interface ManifestCommand {
  readonly command: string;
  readonly title: ManifestText;
  readonly category?: ManifestText;
}

let paletteTitles = new Map<string, string>();

/**
 * Takes the manifest's commands as VS Code filled them in for this language (`context.extension.packageJSON`),
 * so that a message names a command exactly as the palette shows it, in the same words.
 */
export function usePaletteTitles(commands: readonly ManifestCommand[] | undefined): void {
  const text = (value: ManifestText | undefined) => (typeof value === 'string' ? value : value?.value);
  paletteTitles = new Map(
    (commands ?? []).map(({ command, title, category }) => {
      const words = text(title) ?? command;
      const group = text(category);
      return [command, group ? `${group}: ${words}` : words];
    }),
  );
}

/** The command as the palette shows it ("Bitbucket: Sign In"), in the person's language; its id when unknown. */
export function paletteTitle(command: string): string {
  return paletteTitles.get(command) ?? command;
}

export interface L10nMessage {
  message: string;
  args?: Argument[] | Record<string, Argument>;
  /** What a translator needs to know; it becomes part of the key. */
  comment: string | string[];
}

/** The message in the person's language, with `{0}` / `{name}` filled in. */
export function t(message: string, ...args: Argument[]): string;
export function t(message: string, args: Record<string, Argument>): string;
export function t(details: L10nMessage): string;
export function t(first: string | L10nMessage, ...rest: (Argument | Record<string, Argument>)[]): string {
  const details: { message: string; args?: L10nMessage['args']; comment?: L10nMessage['comment'] } =
    typeof first === 'string' ? { message: first, args: isRecord(rest[0]) ? rest[0] : (rest as Argument[]) } : first;
  const comment = Array.isArray(details.comment) ? details.comment.join('') : details.comment;
  const key = comment ? `${details.message}/${comment}` : details.message;
  const entry = table?.[key];
  const translated = typeof entry === 'string' ? entry : (entry?.message ?? details.message);
  return format(translated, details.args ?? []);
}

function isRecord(value: unknown): value is Record<string, Argument> {
  return typeof value === 'object' && value !== null;
}

/** `{0}` and `{name}` become their argument; a placeholder without one stays as it is, as in VS Code. */
function format(text: string, args: Argument[] | Record<string, Argument>): string {
  return text.replace(/\{([^{}]+)\}/g, (whole, name: string) => {
    const value = (args as Record<string, Argument>)[name];
    return value === undefined ? whole : String(value);
  });
}
