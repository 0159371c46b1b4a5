/**
 * Where a submodule comes from: its `url` in the superproject's `.gitmodules`, made absolute the way git
 * makes a relative one (against the superproject's remote). No `vscode` import.
 */

/** The `url` of the submodule whose `path` is `path`, as written in `.gitmodules`; undefined when none. */
export function submoduleUrl(gitmodules: string, path: string): string | undefined {
  let inSection = false;
  let sectionPath: string | undefined;
  let sectionUrl: string | undefined;
  const found = (): string | undefined => (inSection && sectionPath === path ? sectionUrl : undefined);
  for (const raw of gitmodules.split(/\r?\n/)) {
    const line = raw.replace(/[#;].*$/, '').trim();
    if (line.startsWith('[')) {
      const done = found();
      if (done) return done;
      inSection = /^\[submodule\s+"[^"]*"\]$/.test(line);
      sectionPath = undefined;
      sectionUrl = undefined;
      continue;
    }
    const setting = /^(\w+)\s*=\s*(.*)$/.exec(line);
    if (!setting) continue;
    const value = setting[2].replace(/^"(.*)"$/, '$1').trim();
    if (setting[1].toLowerCase() === 'path') sectionPath = value.replace(/^\/+|\/+$/g, '');
    if (setting[1].toLowerCase() === 'url') sectionUrl = value;
  }
  return found();
}

/**
 * An absolute http(s) URL for a submodule's `url`: relative ones (`../other.git`) resolve against the
 * superproject's https clone link, as git resolves them against its remote; ssh and scp-like URLs and
 * anything else stay as written (undefined here), since only an http(s) link can be opened without cloning.
 */
export function absoluteSubmoduleUrl(url: string, superprojectCloneUrl: string | undefined): string | undefined {
  try {
    if (/^https?:\/\//i.test(url)) return withoutCredentials(new URL(url));
    if ((url.startsWith('./') || url.startsWith('../')) && superprojectCloneUrl) {
      return withoutCredentials(new URL(url, `${superprojectCloneUrl.replace(/\/+$/, '')}/`));
    }
  } catch {
    return undefined;
  }
  return undefined;
}

function withoutCredentials(url: URL): string {
  url.username = '';
  url.password = '';
  return url.toString();
}
