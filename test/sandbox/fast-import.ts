import { once } from 'events';
import { Writable } from 'stream';

/** Writes a `git fast-import` stream: the fastest way to build a deterministic history in one process. */
export interface Person {
  name: string;
  email: string;
}

/** A file in a commit: a regular file by default, or an executable (`100755`) or a symbolic link (`120000`, content = target). */
export interface FileSpec {
  path: string;
  content: string | Buffer;
  mode?: '100644' | '100755' | '120000';
}

/** A submodule entry: a gitlink (mode 160000) naming a commit of another repository. */
export interface GitlinkSpec {
  path: string;
  gitlink: string;
}

export interface CommitSpec {
  branch: string;
  author: Person;
  /** Seconds since the epoch (UTC); fixed dates keep commit hashes identical on every run. */
  time: number;
  message: string;
  files: ReadonlyArray<FileSpec | GitlinkSpec>;
  /** Paths removed by this commit. */
  deletes?: readonly string[];
  /** Mark of the parent commit; default the commit written just before (none for the first). */
  from?: number;
}

export class FastImportWriter {
  private marks = 0;

  constructor(private readonly out: Writable) {}

  /** Writes one commit and returns its mark, for `from`, `tag` and `lightweightTag`. */
  async commit(spec: CommitSpec): Promise<number> {
    const parent = spec.from ?? this.marks;
    const mark = ++this.marks;
    const who = `${spec.author.name} <${spec.author.email}> ${spec.time} +0000`;
    const parts: Buffer[] = [
      Buffer.from(`commit refs/heads/${spec.branch}\nmark :${mark}\nauthor ${who}\ncommitter ${who}\n`),
      data(spec.message),
    ];
    if (parent > 0) {
      parts.push(Buffer.from(`from :${parent}\n`));
    }
    for (const path of spec.deletes ?? []) {
      parts.push(Buffer.from(`D ${path}\n`));
    }
    for (const file of spec.files) {
      if ('gitlink' in file) {
        parts.push(Buffer.from(`M 160000 ${file.gitlink} ${file.path}\n`));
      } else {
        parts.push(Buffer.from(`M ${file.mode ?? '100644'} inline ${file.path}\n`), data(file.content));
      }
    }
    parts.push(Buffer.from('\n'));
    await this.write(Buffer.concat(parts));
    return mark;
  }

  /** An annotated tag object (with tagger, date and message) on the commit with this mark. */
  async tag(name: string, mark: number, tagger: Person, time: number, message: string): Promise<void> {
    const header = `tag ${name}\nfrom :${mark}\ntagger ${tagger.name} <${tagger.email}> ${time} +0000\n`;
    await this.write(Buffer.concat([Buffer.from(header), data(message)]));
  }

  /** A lightweight tag: `refs/tags/<name>` pointing straight at the commit. */
  async lightweightTag(name: string, mark: number): Promise<void> {
    await this.write(Buffer.from(`reset refs/tags/${name}\nfrom :${mark}\n\n`));
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
