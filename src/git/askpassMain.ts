/**
 * The askpass program git starts when it needs a user name or password, where the bash one cannot run:
 * it sends the one-time nonce and git's prompt to the editor (over the socket or loopback port named in
 * its environment, in the line protocol of askpassServer.ts) and prints the answer.
 * Exits non-zero when the editor has no answer, so git fails instead of hanging.
 */
import * as net from 'net';

function main(): void {
  const socketPath = process.env.BITBUCKET_ASKPASS_SOCKET;
  const port = Number(process.env.BITBUCKET_ASKPASS_PORT);
  const nonce = process.env.BITBUCKET_ASKPASS_NONCE;
  const prompt = process.argv[2] ?? '';
  if ((!socketPath && !(Number.isInteger(port) && port > 0)) || !nonce) {
    process.stderr.write('bitbucket askpass: started without the editor; no credentials given.\n');
    process.exit(1);
  }
  const socket = socketPath ? net.createConnection(socketPath) : net.createConnection({ host: '127.0.0.1', port });
  let reply = '';
  socket.setEncoding('utf8');
  socket.setTimeout(60_000, () => socket.destroy(new Error('the editor did not answer')));
  socket.on('connect', () => socket.write(`${nonce}\n${prompt}\n`));
  socket.on('data', (chunk: string) => {
    reply += chunk;
    const newline = reply.indexOf('\n');
    if (newline < 0) return;
    socket.destroy();
    process.stdout.write(`${reply.slice(0, newline)}\n`, () => process.exit(0));
  });
  // Closed without a whole line: the editor refused.
  socket.on('end', () => process.exit(1));
  socket.on('error', (error) => {
    process.stderr.write(`bitbucket askpass: ${error.message}\n`);
    process.exit(1);
  });
}

main();
