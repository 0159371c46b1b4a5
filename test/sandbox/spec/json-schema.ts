import * as fs from 'fs';
import * as path from 'path';

/**
 * A small JSON Schema checker covering exactly the keywords the committed Bitbucket subset uses:
 * type, properties, required, additionalProperties, items, allOf, $ref, enum, pattern, minimum,
 * minItems, uniqueItems, format (uri and date-time, loosely) and Swagger's discriminator.
 */
export interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  allOf?: Schema[];
  $ref?: string;
  enum?: unknown[];
  pattern?: string;
  minimum?: number;
  minItems?: number;
  uniqueItems?: boolean;
  format?: string;
  discriminator?: string;
}

export interface SchemaDocument {
  definitions: Record<string, Schema>;
}

export interface SchemaProblem {
  path: string;
  message: string;
}

const SUBSET_FILE = path.join(__dirname, '..', '..', '..', '..', 'test', 'sandbox', 'spec', 'bitbucket-subset.json');

/** Loads the committed spec subset; works from `out/test/sandbox/spec` after `tsc`. */
export function loadBitbucketSubset(): SchemaDocument {
  return JSON.parse(fs.readFileSync(SUBSET_FILE, 'utf8')) as SchemaDocument;
}

// A scheme URI, or the scp-like form git uses for SSH (`git@host:path`).
const LOOSE_URI = /^(?:[a-z][a-z0-9+.-]*:\S*|[^\s@/:]+@[^\s:/]+:\S+)$/i;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/;

export class SchemaChecker {
  /** Objects already being checked against a definition; refs reached again for them do not dispatch. */
  private readonly active = new Set<object>();

  constructor(private readonly document: SchemaDocument) {}

  /** Problems found when checking `value` against `#/definitions/<name>`; empty when it conforms. */
  check(value: unknown, definition: string): SchemaProblem[] {
    const problems: SchemaProblem[] = [];
    this.checkRef(value, `#/definitions/${definition}`, '$', problems);
    // allOf chains can reach one property twice (team_links and account_links both define avatar).
    const seen = new Set<string>();
    return problems.filter((problem) => {
      const key = `${problem.path}\n${problem.message}`;
      return seen.has(key) ? false : (seen.add(key), true);
    });
  }

  private definition(ref: string): Schema {
    const name = ref.replace(/^#\/definitions\//, '');
    const schema = this.document.definitions[name];
    if (!schema) {
      throw new Error(`The schema subset has no definition for ${ref}`);
    }
    return schema;
  }

  private checkRef(value: unknown, ref: string, at: string, problems: SchemaProblem[]): void {
    if (!isObject(value) || this.active.has(value)) {
      this.checkSchema(value, this.definition(ref), at, problems);
      return;
    }
    // Swagger polymorphism: where an object is first referenced, a `type` naming a definition derived from
    // the referenced one selects that more specific definition (e.g. an `account` that says it is a `team`).
    // The allOf parents it then reaches for the same object are checked as they are.
    const base = ref.replace(/^#\/definitions\//, '');
    const declared = typeof value.type === 'string' ? value.type : undefined;
    const specific = declared && this.document.definitions[declared] && this.derivesFrom(declared, base) ? `#/definitions/${declared}` : ref;
    this.active.add(value);
    try {
      this.checkSchema(value, this.definition(specific), at, problems);
    } finally {
      this.active.delete(value);
    }
  }

  private derivesFrom(name: string, base: string, seen = new Set<string>()): boolean {
    if (name === base) {
      return true;
    }
    if (seen.has(name)) {
      return false;
    }
    seen.add(name);
    const parents = (this.document.definitions[name]?.allOf ?? []).flatMap((part) => (part.$ref ? [part.$ref] : []));
    return parents.some((ref) => this.derivesFrom(ref.replace(/^#\/definitions\//, ''), base, seen));
  }

  private checkSchema(value: unknown, schema: Schema, at: string, problems: SchemaProblem[]): void {
    if (schema.$ref) {
      this.checkRef(value, schema.$ref, at, problems);
      return;
    }
    for (const part of schema.allOf ?? []) {
      this.checkSchema(value, part, at, problems);
    }
    if (schema.type !== undefined) {
      const allowed = Array.isArray(schema.type) ? schema.type : [schema.type];
      if (!allowed.some((type) => hasType(value, type))) {
        problems.push({ path: at, message: `expected ${allowed.join(' or ')}, got ${describe(value)}` });
        return;
      }
    }
    if (schema.enum && !schema.enum.some((option) => option === value)) {
      problems.push({ path: at, message: `expected one of ${JSON.stringify(schema.enum)}, got ${JSON.stringify(value)}` });
    }
    if (typeof value === 'string') {
      this.checkString(value, schema, at, problems);
    }
    if (typeof value === 'number' && schema.minimum !== undefined && value < schema.minimum) {
      problems.push({ path: at, message: `expected at least ${schema.minimum}, got ${value}` });
    }
    if (Array.isArray(value)) {
      this.checkArray(value, schema, at, problems);
    } else if (isObject(value)) {
      this.checkObject(value, schema, at, problems);
    }
  }

  private checkString(value: string, schema: Schema, at: string, problems: SchemaProblem[]): void {
    if (schema.pattern && !new RegExp(schema.pattern).test(value)) {
      problems.push({ path: at, message: `does not match /${schema.pattern}/` });
    }
    if (schema.format === 'uri' && !LOOSE_URI.test(value)) {
      problems.push({ path: at, message: `not a URI: ${JSON.stringify(value)}` });
    }
    if (schema.format === 'date-time' && !DATE_TIME.test(value)) {
      problems.push({ path: at, message: `not a date-time: ${JSON.stringify(value)}` });
    }
  }

  private checkArray(value: unknown[], schema: Schema, at: string, problems: SchemaProblem[]): void {
    if (schema.minItems !== undefined && value.length < schema.minItems) {
      problems.push({ path: at, message: `expected at least ${schema.minItems} items` });
    }
    if (schema.uniqueItems && new Set(value.map((item) => JSON.stringify(item))).size !== value.length) {
      problems.push({ path: at, message: 'items are not unique' });
    }
    if (schema.items) {
      value.forEach((item, index) => this.checkSchema(item, schema.items as Schema, `${at}[${index}]`, problems));
    }
  }

  private checkObject(value: Record<string, unknown>, schema: Schema, at: string, problems: SchemaProblem[]): void {
    for (const name of schema.required ?? []) {
      if (!(name in value)) {
        problems.push({ path: at, message: `missing required property "${name}"` });
      }
    }
    const properties = schema.properties ?? {};
    for (const [name, item] of Object.entries(value)) {
      const child = `${at}.${name}`;
      if (properties[name]) {
        this.checkSchema(item, properties[name], child, problems);
      } else if (schema.additionalProperties === false) {
        problems.push({ path: child, message: 'property not allowed here' });
      } else if (typeof schema.additionalProperties === 'object') {
        this.checkSchema(item, schema.additionalProperties, child, problems);
      }
    }
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'object':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'null':
      return value === null;
    default:
      return typeof value === type;
  }
}

function describe(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  return Array.isArray(value) ? 'array' : typeof value;
}
