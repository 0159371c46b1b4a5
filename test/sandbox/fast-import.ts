import { once } from 'events';
import { Writable } from 'stream';

/** Writes a `git fast-import` stream: the fastest way to build a deterministic history in one process. */
export interface Person {
  name: string;
  email: string;
}

export interface CommitSpec {
  branch: string;
  author: Person;
  /** Seconds since the epoch (UTC); fixed dates keep commit hashes identical on every run. */
  time: number;
  message: string;
  files: ReadonlyArray<{ path: string; content: string | Buffer }>;
}

export class FastImportWriter {
  private marks = 0;

  constructor(private readonly out: Writable) {}

  async commit(spec: CommitSpec): Promise<void> {
    const parent = this.marks;
    const mark = ++this.marks;
    const who = `${spec.author.name} <${spec.author.email}> ${spec.time} +0000`;
    const parts: Buffer[] = [
      Buffer.from(`commit refs/heads/${spec.branch}\nmark :${mark}\nauthor ${who}\ncommitter ${who}\n`),
      data(spec.message),
    ];
    if (parent > 0) {
      parts.push(Buffer.from(`from :${parent}\n`));
    }
    for (const file of spec.files) {
      parts.push(Buffer.from(`M 100644 inline ${file.path}\n`), data(file.content));
    }
    parts.push(Buffer.from('\n'));
    await this.write(Buffer.concat(parts));
  }

  /** Ends the stream with `done`, so a truncated stream fails instead of importing half a history. */
  async finish(): Promise<void> {
    await this.write(Buffer.from('done\n'));
    this.out.end();
  }

  private async write(chunk: Buffer): Promise<void> {
    if (!this.out.write(chunk)) {
      await once(this.out, 'drain');
    }
  }
}

function data(content: string | Buffer): Buffer {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return Buffer.concat([Buffer.from(`data ${bytes.length}\n`), bytes, Buffer.from('\n')]);
}
