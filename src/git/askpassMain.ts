/**
 * The askpass program git starts when it needs a user name or password: it forwards git's prompt to the
 * editor over the socket named in its environment, with the one-time nonce, and prints the answer.
 * Exits non-zero when the editor has no answer, so git fails instead of hanging.
 */
import * as net from 'net';

function main(): void {
  const socketPath = process.env.BITBUCKET_ASKPASS_SOCKET;
  const nonce = process.env.BITBUCKET_ASKPASS_NONCE;
  const prompt = process.argv[2] ?? '';
  if (!socketPath || !nonce) {
    process.stderr.write('bitbucket askpass: started without the editor; no credentials given.\n');
    process.exit(1);
  }
  const socket = net.createConnection(socketPath);
  let reply = '';
  socket.setEncoding('utf8');
  socket.setTimeout(60_000, () => socket.destroy(new Error('the editor did not answer')));
  socket.on('connect', () => socket.write(`${JSON.stringify({ nonce, prompt })}\n`));
  socket.on('data', (chunk: string) => (reply += chunk));
  socket.on('end', () => {
    try {
      const { answer } = JSON.parse(reply) as { answer?: string };
      if (typeof answer !== 'string') process.exit(1);
      process.stdout.write(`${answer}\n`);
      process.exit(0);
    } catch {
      process.exit(1);
    }
  });
  socket.on('error', (error) => {
    process.stderr.write(`bitbucket askpass: ${error.message}\n`);
    process.exit(1);
  });
}

main();
