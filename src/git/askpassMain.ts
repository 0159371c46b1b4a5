/**
 * The askpass program git starts when it needs a user name or password, where the bash one cannot run:
 * it sends the one-time nonce and git's prompt to the editor (over the socket or loopback port named in
 * its environment, in the line protocol of askpassServer.ts) and prints the answer.
 * Exits non-zero when the editor has no answer, so git fails instead of hanging, with a line on stderr
 * (git shows it) that says whether the editor refused the prompt or could not be reached.
 */
import * as net from 'net';

function main(): void {
  const socketPath = process.env.BITBUCKET_ASKPASS_SOCKET;
  const port = Number(process.env.BITBUCKET_ASKPASS_PORT);
  const nonce = process.env.BITBUCKET_ASKPASS_NONCE;
  const prompt = process.argv[2] ?? '';
  if ((!socketPath && !(Number.isInteger(port) && port > 0)) || !nonce) {
    // eslint-disable-next-line l10n/user-facing-strings -- written to git's stderr, which the extension logs; no person's screen
    process.stderr.write('bitbucket askpass: started without the editor; no credentials given.\n');
    process.exit(1);
  }
  const socket = socketPath ? net.createConnection(socketPath) : net.createConnection({ host: '127.0.0.1', port });
  let reply = '';
  let failed = false;
  /* eslint-disable l10n/user-facing-strings -- git's stderr (gitErrors.ts matches these English lines; they reach only the log) and an internal socket error that is never shown */
  const fail = (why: string) => {
    if (failed) return;
    failed = true;
    process.stderr.write(`bitbucket askpass: ${why}\n`, () => process.exit(1));
  };
  const unreachable = () => fail('no answer from the editor (busy or closed)');
  socket.setEncoding('utf8');
  socket.setTimeout(60_000, () => socket.destroy(new Error('the editor did not answer')));
  /* eslint-enable l10n/user-facing-strings */
  socket.on('connect', () => socket.write(`${nonce}\n${prompt}\n`));
  socket.on('data', (chunk: string) => {
    reply += chunk;
    const newline = reply.indexOf('\n');
    if (newline < 0) return;
    socket.destroy();
    // eslint-disable-next-line l10n/user-facing-strings -- git's stderr: gitErrors.ts matches this English line, and it reaches only the log
    if (!reply.startsWith('=')) return fail('refused, not a prompt for this Bitbucket remote');
    process.stdout.write(`${reply.slice(1, newline)}\n`, () => process.exit(0));
  });
  // Closed without a whole line: the nonce was not taken, or the editor went away.
  socket.on('end', unreachable);
  socket.on('error', unreachable);
}

main();
