// The lint rule that keeps every word a person reads localisable: in `src/`, a string a person can see must
// be the message of a `vscode.l10n.t(...)` call (or of `t(...)` from src/common/l10n.ts, for code that does
// not import `vscode`). `npm run lint` (and so `npm test`) fails on one that bypasses them.
//
// A string is taken for one a person sees when
//   - it goes where VS Code shows text: a show…Message call, a `label`, `description`, `detail`, `title`,
//     `placeHolder`, `prompt`, `tooltip`, `message` or `validationMessage` (as a property or an assignment),
//     a TreeItem's or MarkdownString's text; or
//   - anywhere else, it reads as words: two words of letters with a space between them (error messages,
//     what an input's validator returns, messages kept in constants).
// Not reported: the log (its lines are for the person who reads a bug report, in English as VS Code's own
// logs are), module names, property keys, types, comparisons and `case` labels (text from a server or git,
// not ours), and anything under an `eslint-disable` comment that gives its reason.

const SINK_PROPERTIES = new Set([
  'label',
  'description',
  'detail',
  'title',
  'placeHolder',
  'placeholder',
  'prompt',
  'tooltip',
  'message',
  'validationMessage',
  'ariaLabel',
]);
const SHOW_CALLS = /^show(Information|Warning|Error)Message$|^setStatusBarMessage$/;
const SHOWN_CONSTRUCTORS = new Set(['TreeItem', 'MarkdownString', 'ThemeIcon']);
const LOG_METHODS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'appendLine', 'append', 'log']);
const WORDS = /[A-Za-z]{2,}[^\n]*?\s[A-Za-z(]/;

/** The text of a string literal or a template literal (its fixed parts), or undefined for anything else. */
function textOf(node) {
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral') return node.quasis.map((part) => part.value.cooked ?? '').join('{}');
  return undefined;
}

function calleeName(callee) {
  if (callee.type === 'Identifier') return callee.name;
  if (callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier') return callee.property.name;
  return undefined;
}

/** `t(...)`, `l10n.t(...)`, `vscode.l10n.t(...)`. */
function isTranslation(call) {
  const { callee } = call;
  if (callee.type === 'Identifier') return callee.name === 't';
  return (
    callee.type === 'MemberExpression' &&
    !callee.computed &&
    callee.property.type === 'Identifier' &&
    callee.property.name === 't' &&
    ((callee.object.type === 'Identifier' && callee.object.name === 'l10n') ||
      (callee.object.type === 'MemberExpression' && callee.object.property.type === 'Identifier' && callee.object.property.name === 'l10n'))
  );
}

/** A log call: `log.info(...)`, `this.logger.warn(...)`, `console.error(...)`; never `vscode.window.showErrorMessage`. */
function isLogCall(call) {
  const { callee } = call;
  if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier') return false;
  if (!LOG_METHODS.has(callee.property.name)) return false;
  const object = callee.object;
  const name =
    object.type === 'Identifier'
      ? object.name
      : object.type === 'MemberExpression' && object.property.type === 'Identifier'
        ? object.property.name
        : '';
  return /^(log|logger|console|output|channel)$/i.test(name) || /Log$|Logger$/.test(name);
}

/**
 * Where the string ends up, walking out through the expressions that only pass it on (`a ?? 'x'`, `c ? 'x' : 'y'`,
 * `'x' + y`, `` `…${'x'}` ``). Returns 'translated', 'log', 'ignored', 'shown' or 'other'.
 */
function destination(node) {
  let child = node;
  let parent = node.parent;
  while (parent) {
    switch (parent.type) {
      case 'ConditionalExpression':
        if (parent.test === child) return 'ignored';
        break;
      case 'LogicalExpression':
      case 'TemplateLiteral':
      case 'TSAsExpression':
      case 'TSSatisfiesExpression':
      case 'TSNonNullExpression':
      case 'ArrayExpression':
      case 'SpreadElement':
        break;
      case 'BinaryExpression':
        if (parent.operator !== '+') return 'ignored';
        break;
      case 'CallExpression':
      case 'NewExpression': {
        if (parent.callee === child) return 'other';
        if (parent.type === 'CallExpression' && isTranslation(parent)) return 'translated';
        if (parent.type === 'CallExpression' && isLogCall(parent)) return 'log';
        const name = calleeName(parent.callee);
        if (name && (SHOW_CALLS.test(name) || (parent.type === 'NewExpression' && SHOWN_CONSTRUCTORS.has(name)))) {
          return name === 'ThemeIcon' ? 'ignored' : 'shown';
        }
        return 'other';
      }
      case 'Property':
        if (parent.key === child && !parent.computed) return 'ignored';
        // The object form: vscode.l10n.t({ message, args, comment }).
        if (
          parent.parent.type === 'ObjectExpression' &&
          parent.parent.parent?.type === 'CallExpression' &&
          isTranslation(parent.parent.parent)
        ) {
          return 'translated';
        }
        return !parent.computed && parent.key.type === 'Identifier' && SINK_PROPERTIES.has(parent.key.name) ? 'shown' : 'other';
      case 'AssignmentExpression':
        if (parent.right !== child) return 'ignored';
        return parent.left.type === 'MemberExpression' &&
          parent.left.property.type === 'Identifier' &&
          SINK_PROPERTIES.has(parent.left.property.name)
          ? 'shown'
          : 'other';
      case 'ImportDeclaration':
      case 'ExportNamedDeclaration':
      case 'ExportAllDeclaration':
      case 'ImportExpression':
      case 'TSLiteralType':
      case 'TSEnumMember':
      case 'TSExternalModuleReference':
      case 'TSImportType':
      case 'SwitchCase':
      case 'TaggedTemplateExpression':
        return 'ignored';
      case 'PropertyDefinition':
        return parent.value === child && parent.key.type === 'Identifier' && SINK_PROPERTIES.has(parent.key.name) ? 'shown' : 'other';
      default:
        return 'other';
    }
    child = parent;
    parent = parent.parent;
  }
  return 'other';
}

const userFacingStrings = {
  meta: {
    type: 'problem',
    docs: { description: 'Words a person reads go through vscode.l10n.t (or t from src/common/l10n.ts).' },
    schema: [],
    messages: {
      bypass:
        'A person reads "{{text}}": pass it through vscode.l10n.t(...) (or t(...) from src/common/l10n.ts where vscode is not imported), so it can be translated.',
      notLiteral: 'vscode.l10n.t / t take the English message as a string literal, so the bundle can be extracted from the source.',
    },
  },
  create(context) {
    function check(node) {
      const text = textOf(node);
      if (text === undefined || !/[A-Za-z]{2,}/.test(text)) return;
      const where = destination(node);
      if (where === 'translated' || where === 'log' || where === 'ignored') return;
      if (where === 'shown' || WORDS.test(text)) {
        context.report({ node, messageId: 'bypass', data: { text: text.length > 60 ? `${text.slice(0, 57)}…` : text } });
      }
    }
    return {
      Literal: check,
      TemplateLiteral(node) {
        if (node.parent.type === 'TemplateLiteral') return;
        check(node);
      },
      CallExpression(node) {
        if (!isTranslation(node) || node.arguments.length === 0) return;
        const [first] = node.arguments;
        const literal = first.type === 'Literal' && typeof first.value === 'string';
        const options =
          first.type === 'ObjectExpression' &&
          first.properties.some(
            (p) => p.type === 'Property' && p.key.type === 'Identifier' && p.key.name === 'message' && p.value.type === 'Literal',
          );
        if (!literal && !options) context.report({ node: first, messageId: 'notLiteral' });
      },
    };
  },
};

export default { rules: { 'user-facing-strings': userFacingStrings } };
