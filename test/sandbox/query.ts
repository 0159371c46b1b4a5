/**
 * The filter language of `?q=` (the spec's "Filter and sort API objects" narrative): comparisons
 * `= != ~ !~ > >= < <=`, `IN` / `NOT IN` lists, `AND` / `OR` (either case) and parentheses;
 * values are "strings" with backslash escapes, numbers, true, false, null and bare ISO-8601 dates.
 * Collections describe their filterable fields with a FieldTypes map over flat records whose keys are
 * dotted paths (`project.key`) and whose dates are epoch milliseconds. A field may hold a list of strings
 * (a tree entry's `attributes`): `=`, `~` and the ordering operators match when any item does, `!=` and
 * `!~` when none does, and `= null` when the list is empty.
 */
export type FieldType = 'string' | 'number' | 'boolean' | 'datetime';
export type FieldTypes = Readonly<Record<string, FieldType>>;
export type FlatValue = string | number | boolean | null | undefined | readonly string[];
export type FlatRecord = Readonly<Record<string, FlatValue>>;
export type RecordFilter = (record: FlatRecord) => boolean;

export class QueryError extends Error {}

type Operator = '=' | '!=' | '~' | '!~' | '>' | '>=' | '<' | '<=';

type Literal =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'datetime'; value: number };

type QueryNode =
  | { type: 'and' | 'or'; left: QueryNode; right: QueryNode }
  | { type: 'compare'; field: string; operator: Operator; value: Literal }
  | { type: 'in'; field: string; negated: boolean; values: Literal[] };

interface Token {
  kind: 'open' | 'close' | 'comma' | 'operator' | 'string' | 'word';
  text: string;
  position: number;
}

const OPERATORS: readonly Operator[] = ['!=', '!~', '>=', '<=', '=', '~', '>', '<'];
const FIELD_PATH = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const NUMBER = /^-?\d+(?:\.\d+)?$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' };

export function compileQuery(query: string, fields: FieldTypes): RecordFilter {
  const parser = new QueryParser(tokenize(query), fields);
  const tree = parser.parseQuery();
  return (record) => evaluate(tree, record, fields);
}

/** Epoch milliseconds for an ISO-8601 date or date time; UTC unless an offset is given. */
export function parseDateTime(text: string): number | undefined {
  const match = DATE_TIME.exec(text);
  if (!match) {
    return undefined;
  }
  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '0', zone] = match;
  const millis = Math.round(Number(`0.${fraction}`) * 1000);
  const utc = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second), millis);
  if (Number.isNaN(utc)) {
    return undefined;
  }
  if (!zone || zone === 'Z') {
    return utc;
  }
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offsetMinutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4));
  return utc - sign * offsetMinutes * 60_000;
}

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const char = query[i];
    if (/\s/.test(char)) {
      i++;
    } else if (char === '(' || char === ')' || char === ',') {
      tokens.push({ kind: char === '(' ? 'open' : char === ')' ? 'close' : 'comma', text: char, position: i });
      i++;
    } else if (char === '"') {
      const start = i;
      let text = '';
      i++;
      while (i < query.length && query[i] !== '"') {
        if (query[i] === '\\') {
          const escaped = query[i + 1];
          if (escaped === 'u' && /^[0-9a-fA-F]{4}$/.test(query.slice(i + 2, i + 6))) {
            text += String.fromCharCode(parseInt(query.slice(i + 2, i + 6), 16));
            i += 6;
            continue;
          }
          if (escaped === undefined || !(escaped in ESCAPES)) {
            throw new QueryError(`Invalid escape sequence at position ${i}`);
          }
          text += ESCAPES[escaped];
          i += 2;
        } else {
          text += query[i++];
        }
      }
      if (i >= query.length) {
        throw new QueryError(`Unterminated string starting at position ${start}`);
      }
      i++;
      tokens.push({ kind: 'string', text, position: start });
    } else {
      const operator = OPERATORS.find((op) => query.startsWith(op, i));
      if (operator) {
        tokens.push({ kind: 'operator', text: operator, position: i });
        i += operator.length;
      } else {
        const start = i;
        while (i < query.length && !/[\s(),"=!~<>]/.test(query[i])) {
          i++;
        }
        if (i === start) {
          throw new QueryError(`Unexpected character "${char}" at position ${i}`);
        }
        tokens.push({ kind: 'word', text: query.slice(start, i), position: start });
      }
    }
  }
  return tokens;
}

class QueryParser {
  private index = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly fields: FieldTypes,
  ) {}

  parseQuery(): QueryNode {
    if (this.tokens.length === 0) {
      throw new QueryError('The query is empty');
    }
    const node = this.parseOr();
    const extra = this.peek();
    if (extra) {
      throw new QueryError(`Unexpected "${extra.text}" at position ${extra.position}`);
    }
    return node;
  }

  private peek(): Token | undefined {
    return this.tokens[this.index];
  }

  private next(expected: string): Token {
    const token = this.tokens[this.index++];
    if (!token) {
      throw new QueryError(`Unexpected end of query, expected ${expected}`);
    }
    return token;
  }

  private isKeyword(word: string): boolean {
    const token = this.peek();
    return token?.kind === 'word' && token.text.toUpperCase() === word;
  }

  private parseOr(): QueryNode {
    let node = this.parseAnd();
    while (this.isKeyword('OR')) {
      this.index++;
      node = { type: 'or', left: node, right: this.parseAnd() };
    }
    return node;
  }

  private parseAnd(): QueryNode {
    let node = this.parseTerm();
    while (this.isKeyword('AND')) {
      this.index++;
      node = { type: 'and', left: node, right: this.parseTerm() };
    }
    return node;
  }

  private parseTerm(): QueryNode {
    const token = this.next('a field name or "("');
    if (token.kind === 'open') {
      const node = this.parseOr();
      const close = this.next('")"');
      if (close.kind !== 'close') {
        throw new QueryError(`Expected ")" at position ${close.position}`);
      }
      return node;
    }
    if (token.kind !== 'word' || !FIELD_PATH.test(token.text)) {
      throw new QueryError(`Expected a field name at position ${token.position}`);
    }
    const field = token.text;
    const type = this.fields[field];
    if (!type) {
      throw new QueryError(`Invalid field name: "${field}"`);
    }
    if (this.isKeyword('IN') || this.isKeyword('NOT')) {
      return this.parseIn(field, type);
    }
    const operator = this.next('an operator');
    if (operator.kind !== 'operator') {
      throw new QueryError(`Expected an operator at position ${operator.position}`);
    }
    const value = this.parseLiteral(field, type);
    checkOperator(field, type, operator.text as Operator, value);
    return { type: 'compare', field, operator: operator.text as Operator, value };
  }

  private parseIn(field: string, type: FieldType): QueryNode {
    const negated = this.isKeyword('NOT');
    if (negated) {
      this.index++;
      if (!this.isKeyword('IN')) {
        throw new QueryError(`Expected IN after NOT for field "${field}"`);
      }
    }
    this.index++;
    if (this.next('"("').kind !== 'open') {
      throw new QueryError(`Expected a list in parentheses after IN for field "${field}"`);
    }
    const values: Literal[] = [];
    for (;;) {
      const value = this.parseLiteral(field, type);
      checkOperator(field, type, '=', value);
      values.push(value);
      const separator = this.next('"," or ")"');
      if (separator.kind === 'close') {
        return { type: 'in', field, negated, values };
      }
      if (separator.kind !== 'comma') {
        throw new QueryError(`Expected "," or ")" at position ${separator.position}`);
      }
    }
  }

  private parseLiteral(field: string, type: FieldType): Literal {
    const token = this.next('a value');
    if (token.kind === 'string') {
      if (type === 'datetime') {
        return this.dateLiteral(token);
      }
      return { kind: 'string', value: token.text };
    }
    if (token.kind !== 'word') {
      throw new QueryError(`Expected a value for "${field}" at position ${token.position}`);
    }
    const word = token.text;
    if (word === 'null') {
      return { kind: 'null' };
    }
    if (word === 'true' || word === 'false') {
      return { kind: 'boolean', value: word === 'true' };
    }
    if (type !== 'datetime' && NUMBER.test(word)) {
      return { kind: 'number', value: Number(word) };
    }
    if (DATE_TIME.test(word)) {
      return this.dateLiteral(token);
    }
    throw new QueryError(`Invalid value "${word}" at position ${token.position}`);
  }

  private dateLiteral(token: Token): Literal {
    const value = parseDateTime(token.text);
    if (value === undefined) {
      throw new QueryError(`Invalid date "${token.text}" at position ${token.position}`);
    }
    return { kind: 'datetime', value };
  }
}

function checkOperator(field: string, type: FieldType, operator: Operator, value: Literal): void {
  if (value.kind === 'null') {
    if (operator !== '=' && operator !== '!=') {
      throw new QueryError(`Only = and != can compare "${field}" with null`);
    }
    return;
  }
  const expected = { string: 'string', number: 'number', boolean: 'boolean', datetime: 'datetime' }[type];
  if (value.kind !== expected) {
    throw new QueryError(`Invalid value for "${field}": expected a ${type}`);
  }
  if ((operator === '~' || operator === '!~') && type !== 'string') {
    throw new QueryError(`The ${operator} operator needs a text field; "${field}" is a ${type}`);
  }
  if (type === 'boolean' && operator !== '=' && operator !== '!=') {
    throw new QueryError(`Only = and != can compare the boolean field "${field}"`);
  }
}

function evaluate(node: QueryNode, record: FlatRecord, fields: FieldTypes): boolean {
  switch (node.type) {
    case 'and':
      return evaluate(node.left, record, fields) && evaluate(node.right, record, fields);
    case 'or':
      return evaluate(node.left, record, fields) || evaluate(node.right, record, fields);
    case 'in': {
      const found = node.values.some((value) => compare(record[node.field], '=', value));
      return node.negated ? !found : found;
    }
    case 'compare':
      return compare(record[node.field], node.operator, node.value);
  }
}

function compare(actual: FlatValue, operator: Operator, literal: Literal): boolean {
  if (Array.isArray(actual)) {
    if (literal.kind === 'null') {
      return operator === '=' ? actual.length === 0 : actual.length > 0;
    }
    const items = actual as readonly string[];
    return operator === '!=' || operator === '!~'
      ? items.every((item) => compare(item, operator, literal))
      : items.some((item) => compare(item, operator, literal));
  }
  const absent = actual === null || actual === undefined || actual === '';
  if (literal.kind === 'null') {
    return operator === '=' ? absent : !absent;
  }
  if (actual === null || actual === undefined) {
    return operator === '!=' || operator === '!~';
  }
  const expected = literal.value;
  switch (operator) {
    case '=':
      return actual === expected;
    case '!=':
      return actual !== expected;
    case '~':
      return String(actual).toLowerCase().includes(String(expected).toLowerCase());
    case '!~':
      return !String(actual).toLowerCase().includes(String(expected).toLowerCase());
    case '>':
      return actual > expected;
    case '>=':
      return actual >= expected;
    case '<':
      return actual < expected;
    case '<=':
      return actual <= expected;
  }
}
