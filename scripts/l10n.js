// The extension's translation files, made from its sources:
//   - l10n/bundle.l10n.json: every message of a `vscode.l10n.t(...)` / `t(...)` call in src/, the file
//     translators start from (the English itself needs no bundle: VS Code falls back to the source text);
//   - l10n/bundle.l10n.qps-ploc.json and package.nls.qps-ploc.json: the pseudo-locale (accented letters, same
//     placeholders), which shows at a glance any word that does not go through the translation tables;
//   - media/walkthrough/<page>.qps-ploc.md: the walkthrough's pages in the pseudo-locale. Each page is a `%key%`
//     of package.nls.json, so a translation names a page of its own language, beside the English one (where
//     its pictures' relative links still hold), as package.nls.qps-ploc.json names these.
//
//   node scripts/l10n.js           write them (`npm run l10n`)
//   node scripts/l10n.js --check   fail if any is out of date, or if package.json shows a word that is not a
//                                  `%key%` of package.nls.json (`npm run lint` runs this)
//
// The lint rule in eslint-rules/l10n.mjs makes sure the code's words reach these calls in the first place.
const fs = require('fs');
const path = require('path');
const ts = require('typescript');

const root = path.join(__dirname, '..');
const L10N_DIR = path.join(root, 'l10n');
const PSEUDO = 'qps-ploc';

/** Every .ts file under src/, sorted so the bundle's order does not depend on the file system. */
function sourceFiles(dir = path.join(root, 'src')) {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return sourceFiles(full);
      return entry.name.endsWith('.ts') ? [full] : [];
    })
    .sort();
}

/** Whether the file's `t` is the one from src/common/l10n.ts (rather than some other `t`). */
function importsOurT(source) {
  return source.statements.some(
    (statement) =>
      ts.isImportDeclaration(statement) &&
      /(^|\/)common\/l10n$|^\.\/l10n$/.test(statement.moduleSpecifier.text) &&
      statement.importClause?.namedBindings &&
      ts.isNamedImports(statement.importClause.namedBindings) &&
      statement.importClause.namedBindings.elements.some((element) => element.name.text === 't'),
  );
}

function isTranslationCall(node, ourT) {
  if (!ts.isCallExpression(node)) return false;
  const callee = node.expression;
  if (ts.isIdentifier(callee)) return ourT && callee.text === 't';
  return ts.isPropertyAccessExpression(callee) && callee.name.text === 't' && /(^|\.)l10n$/.test(callee.expression.getText());
}

/**
 * The messages of one file: `{ key, message, comment? }` for each call, with the key VS Code looks up (the
 * message, then `/` and the comment when there is one). Throws on a call whose message is not a literal.
 */
function messagesOf(file, text = fs.readFileSync(file, 'utf8')) {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const ourT = importsOurT(source);
  const found = [];
  const where = (node) => {
    const { line, character } = source.getLineAndCharacterOfPosition(node.getStart());
    return `${path.relative(root, file)}:${line + 1}:${character + 1}`;
  };
  const literal = (node) => (node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : undefined);
  const visit = (node) => {
    if (isTranslationCall(node, ourT)) {
      const [first] = node.arguments;
      let message = literal(first);
      let comment;
      if (message === undefined && first && ts.isObjectLiteralExpression(first)) {
        for (const property of first.properties) {
          if (!ts.isPropertyAssignment(property)) continue;
          const name = property.name.getText();
          if (name === 'message') message = literal(property.initializer);
          if (name === 'comment') {
            const value = property.initializer;
            comment = ts.isArrayLiteralExpression(value) ? value.elements.map(literal) : [literal(value)];
            if (comment.some((part) => part === undefined)) throw new Error(`${where(first)}: a comment must be string literals`);
          }
        }
      }
      if (message === undefined)
        throw new Error(`${where(node)}: the message of ${node.expression.getText()}(...) must be a string literal`);
      const key = comment?.length ? `${message}/${comment.join('')}` : message;
      found.push({ key, message, comment, where: where(node) });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The bundle translators start from: key → English (with the comment, when there is one). */
function extractBundle(files = sourceFiles()) {
  const bundle = {};
  for (const file of files) {
    for (const { key, message, comment } of messagesOf(file)) {
      bundle[key] = comment?.length ? { message, comment } : message;
    }
  }
  return Object.fromEntries(Object.entries(bundle).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const ACCENTED = {
  a: 'á',
  b: 'ƀ',
  c: 'ç',
  d: 'ď',
  e: 'é',
  f: 'ƒ',
  g: 'ĝ',
  h: 'ĥ',
  i: 'í',
  j: 'ĵ',
  k: 'ķ',
  l: 'ļ',
  m: 'ɱ',
  n: 'ñ',
  o: 'ö',
  p: 'þ',
  q: 'ǫ',
  r: 'ŕ',
  s: 'š',
  t: 'ţ',
  u: 'ü',
  v: 'ṽ',
  w: 'ŵ',
  x: 'ẋ',
  y: 'ý',
  z: 'ž',
  A: 'Á',
  B: 'Ɓ',
  C: 'Ç',
  D: 'Ď',
  E: 'É',
  F: 'Ƒ',
  G: 'Ĝ',
  H: 'Ĥ',
  I: 'Í',
  J: 'Ĵ',
  K: 'Ķ',
  L: 'Ļ',
  M: 'Ṁ',
  N: 'Ñ',
  O: 'Ö',
  P: 'Þ',
  Q: 'Ǫ',
  R: 'Ŕ',
  S: 'Š',
  T: 'Ţ',
  U: 'Ü',
  V: 'Ṽ',
  W: 'Ŵ',
  X: 'Ẋ',
  Y: 'Ý',
  Z: 'Ž',
};

/**
 * What must survive translation untouched: placeholders (`{0}`, `{name}`), codicons (`$(key)`), code spans,
 * link targets and web addresses, settings references (`#git.defaultCloneDirectory#`), and names a person types
 * or looks up as they are: settings and hosts (`bitbucket.apiUrl`, `bitbucket.org`), scopes
 * (`read:repository:bitbucket`) and environment variables (`NODE_EXTRA_CA_CERTS`).
 */
const KEEP =
  /\{[^{}\s]+\}|\$\([\w~-]+\)|`[^`]*`|\]\([^)]*\)|https?:\/\/[^\s)]+|#[\w.]+#|\b[a-z][\w-]*(?:[.:][a-z][\w-]*)+\b|\b[A-Z]+(?:_[A-Z]+)+\b/g;

/** The pseudo-locale text: every letter accented, everything in KEEP as it was. */
function pseudo(text) {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(KEEP)) {
    out += text.slice(last, match.index).replace(/[A-Za-z]/g, (letter) => ACCENTED[letter]);
    out += match[0];
    last = match.index + match[0].length;
  }
  return out + text.slice(last).replace(/[A-Za-z]/g, (letter) => ACCENTED[letter]);
}

function pseudoBundle(bundle) {
  return Object.fromEntries(Object.entries(bundle).map(([key, value]) => [key, pseudo(typeof value === 'string' ? value : value.message)]));
}

/** Where the manifest shows words to people; each must be a `%key%`. */
const SHOWN_FIELDS = new Set([
  'displayName',
  'description',
  'markdownDescription',
  'enumDescriptions',
  'markdownEnumDescriptions',
  'deprecationMessage',
  'markdownDeprecationMessage',
  'title',
  'shortTitle',
  'category',
  'label',
  'name',
  'contextualTitle',
  'contents',
  'altText',
  // A walkthrough step's page: a path, but each language has a page of its own.
  'markdown',
]);

/** Problems with package.json's words: shown as they are, or a `%key%` that package.nls.json lacks; and keys it never uses. */
function manifestProblems(manifest, nls) {
  const problems = [];
  const used = new Set();
  const check = (value, where) => {
    const key = /^%(.+)%$/.exec(value)?.[1];
    if (key === undefined) problems.push(`package.json ${where} shows "${value}": give it a %key% in package.nls.json`);
    else if (!(key in nls)) problems.push(`package.json ${where} uses %${key}%, which package.nls.json does not have`);
    else used.add(key);
  };
  const walk = (node, where) => {
    if (Array.isArray(node)) return node.forEach((item, index) => walk(item, `${where}[${index}]`));
    if (!node || typeof node !== 'object') return;
    for (const [name, value] of Object.entries(node)) {
      const at = `${where}.${name}`;
      if (SHOWN_FIELDS.has(name) && typeof value === 'string') check(value, at);
      else if (SHOWN_FIELDS.has(name) && Array.isArray(value) && value.every((item) => typeof item === 'string'))
        value.forEach((item, index) => check(item, `${at}[${index}]`));
      else walk(value, at);
    }
  };
  check(manifest.displayName, 'displayName');
  check(manifest.description, 'description');
  walk(manifest.contributes, 'contributes');
  walk(manifest.capabilities, 'capabilities');
  for (const key of Object.keys(nls)) if (!used.has(key)) problems.push(`package.nls.json has "${key}", which package.json does not use`);
  return problems;
}

/** A walkthrough page named in package.nls.json: `media/walkthrough/<page>.md`. */
const WALKTHROUGH_PAGE = /^media\/walkthrough\/[\w-]+\.md$/;

/** Where a page's translation into `language` lives: beside it, so its relative links still hold. */
function translatedPage(page, language) {
  return page.replace(/\.md$/, `.${language}.md`);
}

/** Every generated file, as it should read: path → text. */
function generatedFiles() {
  const bundle = extractBundle();
  const nls = JSON.parse(fs.readFileSync(path.join(root, 'package.nls.json'), 'utf8'));
  const json = (value) => `${JSON.stringify(value, null, 2)}\n`;
  const pages = Object.values(nls).filter((value) => typeof value === 'string' && WALKTHROUGH_PAGE.test(value));
  const pseudoNls = Object.fromEntries(
    Object.entries(pseudoBundle(nls)).map(([key, value]) => [
      key,
      WALKTHROUGH_PAGE.test(nls[key]) ? translatedPage(nls[key], PSEUDO) : value,
    ]),
  );
  return {
    [path.join(L10N_DIR, 'bundle.l10n.json')]: json(bundle),
    [path.join(L10N_DIR, `bundle.l10n.${PSEUDO}.json`)]: json(pseudoBundle(bundle)),
    [path.join(root, `package.nls.${PSEUDO}.json`)]: json(pseudoNls),
    ...Object.fromEntries(
      pages.map((page) => [path.join(root, translatedPage(page, PSEUDO)), pseudo(fs.readFileSync(path.join(root, page), 'utf8'))]),
    ),
  };
}

function main() {
  const check = process.argv.includes('--check');
  const problems = manifestProblems(
    JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')),
    JSON.parse(fs.readFileSync(path.join(root, 'package.nls.json'), 'utf8')),
  );
  const files = generatedFiles();
  for (const [file, text] of Object.entries(files)) {
    const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    if (current === text) continue;
    if (check) problems.push(`${path.relative(root, file)} is out of date: run npm run l10n`);
    else {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
      console.log(`wrote ${path.relative(root, file)}`);
    }
  }
  if (problems.length > 0) {
    console.error(problems.join('\n'));
    process.exit(1);
  }
  if (check)
    console.log(`l10n: ${Object.keys(JSON.parse(files[path.join(L10N_DIR, 'bundle.l10n.json')])).length} messages, bundles up to date`);
}

if (require.main === module) main();

module.exports = { messagesOf, extractBundle, pseudo, manifestProblems, generatedFiles, PSEUDO };
