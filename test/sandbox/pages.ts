import { ServerResponse } from 'http';
import { RepositoryStore } from './repository-store';

/**
 * The "website" side of the sandbox: the pages `links.html.href` points at, avatars, and an index.
 * Just enough for "Open in browser" to land somewhere real.
 */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function html(res: ServerResponse, status: number, title: string, body: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  res.end(
    `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>\n<body>${body}</body></html>\n`,
  );
}

const AVATAR = `<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#0052cc"/><path d="M9 10h14l-2 12H11z" fill="#fff"/></svg>\n`;

export function servePage(res: ServerResponse, pathname: string, store: RepositoryStore, apiUrl: string): void {
  if (pathname.startsWith('/_avatar/')) {
    res.writeHead(200, { 'content-type': 'image/svg+xml', 'cache-control': 'max-age=3600' });
    res.end(AVATAR);
    return;
  }
  if (pathname === '/') {
    html(res, 200, 'Bitbucket sandbox', `<h1>Bitbucket sandbox</h1><p>API: <code>${escapeHtml(apiUrl)}</code></p>`);
    return;
  }
  let segments: string[];
  try {
    segments = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    segments = [];
  }
  const workspace = segments.length >= 1 && segments.length <= 2 ? store.workspace(segments[0]) : undefined;
  if (workspace && segments.length === 1) {
    html(res, 200, workspace.name, `<h1>${escapeHtml(workspace.name)}</h1><p>Workspace <code>${escapeHtml(workspace.slug)}</code></p>`);
    return;
  }
  const repository = workspace ? store.get(workspace, segments[1]) : undefined;
  if (workspace && repository) {
    const fullName = `${workspace.slug}/${repository.slug}`;
    html(
      res,
      200,
      `${fullName} - Bitbucket sandbox`,
      `<h1>${escapeHtml(repository.name)}</h1><p><code>${escapeHtml(fullName)}</code></p><p>${escapeHtml(repository.description)}</p>`,
    );
    return;
  }
  html(res, 404, 'Not found', '<h1>Not found</h1>');
}
