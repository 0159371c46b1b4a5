/** Branch names as git takes them on a command line. No `vscode` import. */

/** What git accepts as a branch name, as far as a clone's argument needs checking (see git check-ref-format). */
export function isBranchName(name: unknown): name is string {
  return (
    typeof name === 'string' &&
    /^[^\s~^:?*[\\]+$/.test(name) &&
    ![...name].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f) &&
    !name.startsWith('-') &&
    !name.startsWith('/') &&
    !name.endsWith('/') &&
    !name.endsWith('.') &&
    !name.endsWith('.lock') &&
    !name.includes('..') &&
    !name.includes('//') &&
    !name.includes('@{') &&
    name !== '@'
  );
}
