/**
 * zod schemas for the parts of Bitbucket 2.0 responses the extension reads (definitions `account`, `user`,
 * `workspace_access`, `workspace`, `repository`, `project`, `error` and the paginated envelope in the
 * official spec). They describe only the fields the extension asks for with `fields`, so they stay valid
 * for trimmed responses; unknown properties are dropped.
 */
import { z } from 'zod';

const link = z.object({ href: z.string(), name: z.string().optional() });

export const accountSchema = z.object({
  type: z.string().optional(),
  uuid: z.string().optional(),
  account_id: z.string().optional(),
  display_name: z.string(),
  nickname: z.string().optional(),
  links: z.object({ html: link.optional(), avatar: link.optional() }).optional(),
});
export type Account = z.infer<typeof accountSchema>;

export const workspaceAccessSchema = z.object({
  administrator: z.boolean().optional(),
  workspace: z.object({
    slug: z.string(),
    uuid: z.string().optional(),
    name: z.string().optional(),
  }),
});
export type WorkspaceAccess = z.infer<typeof workspaceAccessSchema>;

export const workspaceSchema = z.object({
  slug: z.string(),
  name: z.string(),
  uuid: z.string().optional(),
  is_private: z.boolean().optional(),
  links: z.object({ html: link.optional() }).optional(),
});
export type Workspace = z.infer<typeof workspaceSchema>;

export const projectSchema = z.object({
  key: z.string(),
  name: z.string(),
  uuid: z.string().optional(),
  is_private: z.boolean().optional(),
  description: z.string().optional(),
  created_on: z.string().optional(),
});
export type Project = z.infer<typeof projectSchema>;

export const repositorySchema = z.object({
  slug: z.string(),
  name: z.string(),
  full_name: z.string(),
  uuid: z.string().optional(),
  is_private: z.boolean(),
  description: z.string().optional(),
  language: z.string().optional(),
  updated_on: z.string().optional(),
  created_on: z.string().optional(),
  project: z.object({ key: z.string(), name: z.string().optional() }).nullish(),
  mainbranch: z.object({ name: z.string() }).nullish(),
  links: z
    .object({
      html: link.optional(),
      clone: z.array(link).optional(),
    })
    .optional(),
});
export type Repository = z.infer<typeof repositorySchema>;

/** The paginated envelope. `pagelen` is the page's length, not a page count; follow `next` until it is absent. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    values: z.array(item),
    next: z.string().optional(),
    size: z.number().int().nonnegative().optional(),
    page: z.number().int().optional(),
    pagelen: z.number().int().optional(),
  });
}

export interface Page<T> {
  readonly values: readonly T[];
  /** Opaque URL of the next page; absent on the last one. */
  readonly next?: string;
  /** Total over all pages, when the API reports it. */
  readonly size?: number;
}

export const errorBodySchema = z.object({
  type: z.literal('error'),
  error: z.object({
    message: z.string(),
    detail: z.unknown().optional(),
    fields: z.record(z.string(), z.union([z.array(z.string()), z.string()])).optional(),
    id: z.string().optional(),
    data: z.unknown().optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;
