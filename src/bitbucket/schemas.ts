/**
 * zod schemas for the parts of Bitbucket 2.0 responses the extension reads (definitions `account`, `user`,
 * `workspace_access`, `workspace`, `repository`, `project`, `treeentry`, `ref`, `error` and the paginated envelope in the
 * official spec). They describe only the fields the extension asks for with `fields`, so they stay valid
 * for trimmed responses; unknown properties are dropped. `zod/mini` keeps the bundle small.
 *
 * The schemas are built on the first response rather than when the extension loads: building them is
 * a large part of the bundle's load time, which activation should not pay.
 */
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

function define() {
  const link = z.object({ href: z.string(), name: z.optional(z.string()) });

  /** The paginated envelope. `pagelen` is the page's length, not a page count; follow `next` until it is absent. */
  const page = <T extends z.ZodMiniType>(item: T) =>
    z.object({
      values: z.array(item),
      next: z.optional(z.string()),
      size: z.optional(z.number().check(z.int(), z.nonnegative())),
      page: z.optional(z.number().check(z.int())),
      pagelen: z.optional(z.number().check(z.int())),
    });

  const account = z.object({
    type: z.optional(z.string()),
    uuid: z.optional(z.string()),
    account_id: z.optional(z.string()),
    display_name: z.string(),
    nickname: z.optional(z.string()),
    links: z.optional(z.object({ html: z.optional(link), avatar: z.optional(link) })),
  });

  const workspaceAccess = z.object({
    administrator: z.optional(z.boolean()),
    workspace: z.object({
      slug: z.string(),
      uuid: z.optional(z.string()),
      name: z.optional(z.string()),
    }),
  });

  const workspace = z.object({
    slug: z.string(),
    name: z.string(),
    uuid: z.optional(z.string()),
    is_private: z.optional(z.boolean()),
    links: z.optional(z.object({ html: z.optional(link) })),
  });

  const project = z.object({
    key: z.string(),
    name: z.string(),
    uuid: z.optional(z.string()),
    is_private: z.optional(z.boolean()),
    description: z.optional(z.string()),
    created_on: z.optional(z.string()),
  });

  const repository = z.object({
    slug: z.string(),
    name: z.string(),
    full_name: z.string(),
    uuid: z.optional(z.string()),
    is_private: z.boolean(),
    description: z.optional(z.string()),
    language: z.optional(z.string()),
    updated_on: z.optional(z.string()),
    created_on: z.optional(z.string()),
    project: z.nullish(z.object({ key: z.string(), name: z.optional(z.string()) })),
    mainbranch: z.nullish(z.object({ name: z.string() })),
    links: z.optional(
      z.object({
        html: z.optional(link),
        clone: z.optional(z.array(link)),
      }),
    ),
  });

  /** `commit_file` / `commit_directory` (the spec's `treeentry`), from `/src/{commit}/{path}`. */
  const treeEntry = z.object({
    type: z.string(),
    path: z.string(),
    size: z.optional(z.number().check(z.int(), z.nonnegative())),
    mimetype: z.nullish(z.string()),
    // The spec says one string; the API sends a list. Either is read.
    attributes: z.optional(z.union([z.array(z.string()), z.string()])),
    commit: z.optional(z.object({ hash: z.optional(z.string()) })),
  });

  /** A branch or tag (the spec's `ref`): its name and the commit it points at. */
  const ref = z.object({
    name: z.string(),
    target: z.optional(z.object({ hash: z.string(), date: z.optional(z.string()) })),
  });

  const errorBody = z.object({
    type: z.literal('error'),
    error: z.object({
      message: z.string(),
      detail: z.optional(z.unknown()),
      fields: z.optional(z.record(z.string(), z.union([z.array(z.string()), z.string()]))),
      id: z.optional(z.string()),
      data: z.optional(z.unknown()),
    }),
  });

  return {
    account,
    workspace,
    project,
    repository,
    errorBody,
    workspaceAccessPage: page(workspaceAccess),
    repositoryPage: page(repository),
    projectPage: page(project),
    treeEntry,
    treeEntryPage: page(treeEntry),
    refPage: page(ref),
    ref,
  };
}

type Schemas = ReturnType<typeof define>;
let defined: Schemas | undefined;

/** The schemas, built on first use. */
export function schemas(): Schemas {
  if (!defined) {
    z.config(en());
    defined = define();
  }
  return defined;
}

export type Account = z.infer<Schemas['account']>;
export type WorkspaceAccess = z.infer<Schemas['workspaceAccessPage']>['values'][number];
export type Workspace = z.infer<Schemas['workspace']>;
export type Project = z.infer<Schemas['project']>;
export type Repository = z.infer<Schemas['repository']>;
export type ErrorBody = z.infer<Schemas['errorBody']>;
export type TreeEntry = z.infer<Schemas['treeEntry']>;
export type Ref = z.infer<Schemas['ref']>;

export interface Page<T> {
  readonly values: readonly T[];
  /** Opaque URL of the next page; absent on the last one. */
  readonly next?: string;
  /** Total over all pages, when the API reports it. */
  readonly size?: number;
}

export type Schema = z.ZodMiniType;
/** A schema whose parsed value is a T. */
export type SchemaOf<T> = z.ZodMiniType<T>;
export type Infer<T extends Schema> = z.infer<T>;
