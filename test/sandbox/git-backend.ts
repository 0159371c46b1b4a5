import { IncomingMessage, ServerResponse } from 'http';
import { ChildProcessTracker, gitEnvironment } from './child-processes';

/**
 * Runs `git http-backend` as a CGI program for one request: the request body goes to its stdin as
 * received (gzip included; the encoding is passed on), its CGI headers become the HTTP status and
 * headers, and the rest of its output is streamed back.
 */
export interface GitBackendRequest {
  req: IncomingMessage;
  res: ServerResponse;
  projectRoot: string;
  home: string;
  /** `/<workspace>/<slug>.git/<rest>` */
  pathInfo: string;
  queryString: string;
  remoteUser?: string;
}

export function runGitHttpBackend(request: GitBackendRequest, tracker: ChildProcessTracker): Promise<void> {
  const { req, res } = request;
  const cgi: Record<string, string> = {
    GIT_PROJECT_ROOT: request.projectRoot,
    GIT_HTTP_EXPORT_ALL: '1',
    GATEWAY_INTERFACE: 'CGI/1.1',
    SERVER_PROTOCOL: `HTTP/${req.httpVersion}`,
    REQUEST_METHOD: req.method ?? 'GET',
    PATH_INFO: request.pathInfo,
    QUERY_STRING: request.queryString,
    REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
  };
  const header = (name: string): string | undefined => {
    const value = req.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  };
  const optional: Array<[string, string | undefined]> = [
    ['CONTENT_TYPE', header('content-type')],
    ['CONTENT_LENGTH', header('content-length')],
    ['HTTP_CONTENT_ENCODING', header('content-encoding')],
    ['HTTP_GIT_PROTOCOL', header('git-protocol')],
    ['GIT_PROTOCOL', header('git-protocol')],
    ['REMOTE_USER', request.remoteUser],
  ];
  for (const [name, value] of optional) {
    if (value !== undefined) {
      cgi[name] = value;
    }
  }

  return new Promise((resolve) => {
    const child = tracker.spawn('git', ['http-backend'], { env: gitEnvironment(request.home, cgi), stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    let head = Buffer.alloc(0);
    let headersDone = false;

    const fail = (message: string): void => {
      if (!res.headersSent) {
        res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(`git http-backend failed: ${message}\n`);
      } else {
        res.destroy();
      }
    };

    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.stdin?.on('error', () => undefined);
    req.pipe(child.stdin as NodeJS.WritableStream);
    req.on('aborted', () => child.kill('SIGKILL'));
    res.on('close', () => {
      if (!res.writableEnded) {
        child.kill('SIGKILL');
      }
    });

    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      const split = findHeaderEnd(head);
      if (!split) {
        return;
      }
      headersDone = true;
      child.stdout?.pause();
      child.stdout?.removeListener('data', onData);
      const { status, headers } = parseCgiHeaders(head.subarray(0, split.index).toString('latin1'));
      res.writeHead(status, headers);
      const rest = head.subarray(split.index + split.length);
      if (rest.length > 0) {
        res.write(rest);
      }
      child.stdout?.pipe(res);
    };
    child.stdout?.on('data', onData);

    child.once('error', (error) => {
      fail(error.message);
      resolve();
    });
    child.once('close', (code) => {
      if (!headersDone) {
        fail(`exit ${code}: ${stderr.trim()}`);
      }
      resolve();
    });
  });
}

function findHeaderEnd(buffer: Buffer): { index: number; length: number } | undefined {
  const crlf = buffer.indexOf('\r\n\r\n');
  const lf = buffer.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf < lf)) {
    return { index: crlf, length: 4 };
  }
  return lf >= 0 ? { index: lf, length: 2 } : undefined;
}

export function parseCgiHeaders(text: string): { status: number; headers: Record<string, string> } {
  let status = 200;
  const headers: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) {
      continue;
    }
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') {
      status = Number.parseInt(value, 10) || 500;
    } else {
      headers[name] = value;
    }
  }
  return { status, headers };
}
