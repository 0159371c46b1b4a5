/**
 * zod schemas for the parts of Bitbucket Data Center REST API 1.0 answers the extension reads (RestProject,
 * RestRepository, RestApplicationUser, RestMinimalRef, RestBranch, RestTag, RestApplicationProperties, the
 * `browse` directory, `files`, RestErrorMessage and the paged envelope of Atlassian's OpenAPI for 9.2).
 * Data Center has no `fields` parameter, so answers come whole; unknown properties are dropped and only what
 * the extension reads is required. Built on first use, like the Cloud schemas, to keep activation light.
 */
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

function define() {
  const count = z.number().check(z.int(), z.nonnegative());
  /** Links are lists of `{href}` in Data Center (`clone` entries add `name`: `http` or `ssh`). */
  const links = z.array(z.object({ href: z.string(), name: z.optional(z.string()) }));

  /**
   * The paged envelope ("Paged APIs" in the REST reference): `size` counts this page only, not all pages;
   * `nextPageStart` is there when `isLastPage` is false and is the only way to ask for the next page.
   */
  const page = <T extends z.ZodMiniType>(item: T) =>
    z.object({
      values: z.array(item),
      size: z.optional(count),
      limit: z.optional(count),
      start: z.optional(count),
      isLastPage: z.boolean(),
      nextPageStart: z.nullish(count),
    });

  const project = z.object({
    key: z.string(),
    id: z.optional(z.number()),
    name: z.optional(z.string()),
    description: z.optional(z.string()),
    public: z.optional(z.boolean()),
    type: z.optional(z.string()),
    links: z.optional(z.object({ self: z.optional(links) })),
  });

  const repository = z.object({
    id: z.number(),
    slug: z.string(),
    name: z.string(),
    description: z.optional(z.string()),
    public: z.optional(z.boolean()),
    archived: z.optional(z.boolean()),
    state: z.optional(z.string()),
    project,
    links: z.optional(z.object({ self: z.optional(links), clone: z.optional(links) })),
  });

  const applicationProperties = z.object({
    version: z.string(),
    displayName: z.string(),
    buildNumber: z.optional(z.string()),
    buildDate: z.optional(z.string()),
  });

  const user = z.object({
    name: z.string(),
    slug: z.string(),
    displayName: z.optional(z.string()),
    id: z.optional(z.number()),
    type: z.optional(z.string()),
  });

  /** `default-branch`: the configured default branch, which may not exist yet. */
  const minimalRef = z.object({ id: z.string(), displayId: z.string(), type: z.optional(z.string()) });

  /** RestBranch and RestTag: the name and the commit the ref points at now (a tag's peeled commit). */
  const ref = z.object({
    id: z.string(),
    displayId: z.string(),
    type: z.optional(z.string()),
    latestCommit: z.optional(z.string()),
    isDefault: z.optional(z.boolean()),
  });

  /** RestPath; only `components` is read (`toString` would be the path joined). */
  const path = z.object({ components: z.array(z.string()) });

  /** One child of a `browse` directory: its path below the directory, DIRECTORY, FILE or SUBMODULE, and size. */
  const child = z.object({ path, type: z.string(), size: z.optional(count), contentId: z.optional(z.string()) });

  /** `browse/{path}` of a directory; a file's answer has `lines` instead of `children`. */
  const directory = z.object({ path: z.optional(path), revision: z.optional(z.string()), children: z.optional(page(child)) });

  const errorBody = z.object({
    errors: z.array(
      z.object({
        context: z.nullish(z.string()),
        message: z.nullish(z.string()),
        exceptionName: z.nullish(z.string()),
      }),
    ),
  });

  return {
    applicationProperties,
    project,
    projectPage: page(project),
    repository,
    repositoryPage: page(repository),
    user,
    userPage: page(user),
    minimalRef,
    refPage: page(ref),
    directory,
    pathType: z.object({ type: z.string() }),
    pathSize: z.object({ size: count }),
    filePage: page(z.string()),
    errorBody,
  };
}

type Schemas = ReturnType<typeof define>;
let defined: Schemas | undefined;

/** The schemas, built on first use. */
export function dataCenterSchemas(): Schemas {
  if (!defined) {
    z.config(en());
    defined = define();
  }
  return defined;
}

export type DcProject = z.infer<Schemas['project']>;
export type DcRepository = z.infer<Schemas['repository']>;
export type DcUser = z.infer<Schemas['user']>;
export type DcRef = z.infer<Schemas['refPage']>['values'][number];
export type DcChild = NonNullable<z.infer<Schemas['directory']>['children']>['values'][number];
export type DcApplicationProperties = z.infer<Schemas['applicationProperties']>;
export type DcErrorBody = z.infer<Schemas['errorBody']>;

/** One page of a paged resource. */
export interface DcPage<T> {
  readonly values: readonly T[];
  /** Values on this page (not a total). */
  readonly size?: number;
  readonly limit?: number;
  readonly start?: number;
  readonly isLastPage: boolean;
  readonly nextPageStart?: number | null;
}
