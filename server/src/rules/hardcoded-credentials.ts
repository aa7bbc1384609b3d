import type * as ts from 'typescript';
import { Rule } from '../lint/rule';
import { sqlStatements } from '../lint/statements';
import { PgNode } from '../parse/ast';
import { isHolePlaceholder } from '../parse/fragment';
import type { MigrationFile } from '../parse/migration';
import type { Span } from '../parse/text';
import { forEachNode, typescript } from '../parse/typescript';

/** A password written in the file, and what kind of secret it is for the message (never the password itself). */
interface Credential {
  /** The password's characters in the file. */
  span: Span;
  /** How the finding names it, masked: `postgres://app:****@db.internal/app`, `PASSWORD for role app`. */
  shown: string;
  /** Local development databases (localhost, 127.0.0.1): a lesser risk, reported as information. */
  local: boolean;
}

/** Connection URIs with a password: scheme://user:password@host. */
const URI =
  /\b((?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|redis|rediss|amqps?):\/\/)([^\s:@/'"`]+):([^\s@/'"`]*)@([^\s/'"`:?,)]+)/gi;
/** libpq keyword/value connection strings (`host=db password=secret`) and PGPASSWORD=... in scripts. */
const KEYWORD = /\b(PGPASSWORD|password)\s*=\s*('([^'\\]*)'|"([^"\\]*)"|([^\s'"`;,)]+))/gi;
const CONNINFO_KEYS = /\b(host|hostaddr|dbname|user|port|sslmode)\s*=/i;
/** Values that stand for a password rather than being one. */
const PLACEHOLDER =
  /^(|\*+|x+|\.{3}|<[^>]*>|\[[^\]]*\]|\{\{.*\}\}|\$\{.*\}|\$\w+|%\w+%?|:\w+|password|passwd|pass|pwd|your[-_ ]?password|my[-_]?password|changeme|change[-_]me|secret_here)$/i;
const LOCAL_HOST = /^(localhost|127\.0\.0\.1|\[?::1\]?|0\.0\.0\.0|host\.docker\.internal)$/i;

export const rule: Rule = {
  id: 'hardcoded-credentials',
  severity: 'error',
  summary:
    'A database password written in a script, migration or SQL file (connection strings, PGPASSWORD, CREATE ROLE ... PASSWORD).',
  examples: {
    fileName: 'example.ts',
    bad: "import { Client } from 'pg';\nexport const client = new Client('postgres://sync:Winter2024@db.internal:5432/ledger');\n",
    good: "import { Client } from 'pg';\nexport const client = new Client(process.env.DATABASE_URL);\n",
  },
  check({ file, report }) {
    for (const credential of credentials(file)) {
      report({
        span: credential.span,
        severity: credential.local ? 'info' : undefined,
        message:
          `A database password is written here (${credential.shown}): anyone who can read this repository, its history, ` +
          'a copy of this script or a log that echoes it can use it, and changing it means changing code' +
          (credential.local ? ' (it is for a local database; the habit still leaks real ones).' : '.'),
        help:
          'Read it from the environment (DATABASE_URL, PGPASSWORD), ~/.pgpass or a secret manager. If this password was ever ' +
          'real, rotate it: removing it from the file does not remove it from the history.',
      });
    }
  },
};

function credentials(file: MigrationFile): Credential[] {
  const found = [...uriCredentials(file.text), ...keywordCredentials(file.text), ...rolePasswords(file)];
  if (file.host) found.push(...hostCredentials(file));
  // One finding per password, in file order (a URI's password also matches no other pattern, but be sure).
  const unique = new Map(found.map((c) => [`${c.span.start}:${c.span.end}`, c]));
  return [...unique.values()].sort((a, b) => a.span.start - b.span.start);
}

function uriCredentials(text: string): Credential[] {
  const found: Credential[] = [];
  for (const match of text.matchAll(URI)) {
    const [, scheme, user, password, host] = match;
    if (PLACEHOLDER.test(password) || (PLACEHOLDER.test(user) && PLACEHOLDER.test(password))) continue;
    const start = match.index! + scheme.length + user.length + 1;
    found.push({
      span: { start, end: start + password.length },
      shown: `${scheme}${user}:****@${host}`,
      local: LOCAL_HOST.test(host),
    });
  }
  return found;
}

/**
 * `password=...` counts inside a libpq connection string (another connection keyword on the same line) and
 * `PGPASSWORD=...` anywhere.
 */
function keywordCredentials(text: string): Credential[] {
  const found: Credential[] = [];
  for (const match of text.matchAll(KEYWORD)) {
    const value = match[3] ?? match[4] ?? match[5] ?? '';
    if (PLACEHOLDER.test(value)) continue;
    const line = lineAround(text, match.index!);
    const keyword = match[1];
    if (keyword.toLowerCase() === 'password' && !CONNINFO_KEYS.test(line)) continue;
    const offset = match[0].length - match[2].length + (match[3] !== undefined || match[4] !== undefined ? 1 : 0);
    const start = match.index! + offset;
    const host = /\bhost\s*=\s*'?([^\s']+)/i.exec(line)?.[1];
    found.push({
      span: { start, end: start + value.length },
      shown: keyword.toUpperCase() === 'PGPASSWORD' ? 'PGPASSWORD=****' : `password=**** in a connection string`,
      local: host !== undefined && LOCAL_HOST.test(host),
    });
  }
  return found;
}

function lineAround(text: string, at: number): string {
  const start = text.lastIndexOf('\n', at) + 1;
  const end = text.indexOf('\n', at);
  return text.slice(start, end < 0 ? text.length : end);
}

/**
 * `CREATE ROLE app LOGIN PASSWORD 'secret'`, `ALTER USER app PASSWORD '...'` and `CREATE USER MAPPING ...
 * OPTIONS (password '...')`: the password is in the migration, and so in every checkout.
 */
function rolePasswords(file: MigrationFile): Credential[] {
  const found: Credential[] = [];
  for (const { statement, node } of sqlStatements(
    file,
    'CreateRoleStmt',
    'AlterRoleStmt',
    'CreateUserMappingStmt',
    'AlterUserMappingStmt',
  )) {
    const role = node.role ?? node.user;
    const written = role?.rolename ?? role?.RoleSpec?.rolename ?? (typeof role === 'string' ? role : undefined);
    const name = written && !isHolePlaceholder(written) ? written : undefined;
    const mapping = statement.type === 'CreateUserMappingStmt' || statement.type === 'AlterUserMappingStmt';
    const shown = mapping
      ? `password of the user mapping for ${name ?? 'a role'}`
      : `PASSWORD for ${name ? `role ${name}` : 'a role'}`;
    for (const option of (node.options as PgNode[] | undefined) ?? []) {
      const element = option.DefElem;
      if (element?.defname !== 'password') continue;
      const value = element.arg?.String?.sval ?? element.arg?.A_Const?.sval?.sval;
      if (typeof value !== 'string' || PLACEHOLDER.test(value)) continue;
      const at = statement.text.indexOf(value, statement.text.toLowerCase().indexOf('password'));
      if (at < 0) continue;
      const inFragment = { start: statement.span.start + at, end: statement.span.start + at + value.length };
      // `PASSWORD '${password}'` in a TS/JS template: the password is filled in at run time.
      if (statement.fragment.holes.some((hole) => hole.start < inFragment.end && hole.end > inFragment.start)) continue;
      const span = statement.fragment.toFile(inFragment);
      found.push({ span, shown, local: false });
    }
  }
  return found;
}

const CONNECTION_KEYS = new Set([
  'host',
  'user',
  'username',
  'database',
  'port',
  'connectionString',
  'dialect',
  'server',
]);
const PASSWORD_KEYS = new Set(['password', 'pass', 'pwd']);

/** `{ host, user, password: 'x' }` connection options, and `new Sequelize(db, user, 'password', ...)`. */
function hostCredentials(file: MigrationFile): Credential[] {
  const ts = typescript();
  const source = file.host!.source;
  const found: Credential[] = [];
  const literal = (node: ts.Node | undefined): node is ts.StringLiteral | ts.NoSubstitutionTemplateLiteral =>
    node !== undefined &&
    (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) &&
    !PLACEHOLDER.test(node.text);
  const add = (node: ts.StringLiteral | ts.NoSubstitutionTemplateLiteral, shown: string, host: string | undefined) => {
    const start = node.getStart(source) + 1;
    found.push({
      span: { start, end: start + node.text.length },
      shown,
      local: host !== undefined && LOCAL_HOST.test(host),
    });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isObjectLiteralExpression(node)) {
      const keys = new Map<string, ts.Expression>();
      for (const property of node.properties) {
        if (
          ts.isPropertyAssignment(property) &&
          (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))
        ) {
          keys.set(property.name.text, property.initializer);
        }
      }
      const hostValue = keys.get('host');
      const host = hostValue && (ts.isStringLiteral(hostValue) ? hostValue.text : undefined);
      if ([...keys.keys()].some((key) => CONNECTION_KEYS.has(key))) {
        for (const [key, value] of keys)
          if (PASSWORD_KEYS.has(key) && literal(value)) add(value, `${key}: '****' in connection options`, host);
      }
    }
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Sequelize') {
      const password = node.arguments?.[2];
      if (node.arguments && node.arguments.length >= 3 && literal(password))
        add(password, "new Sequelize(database, user, '****')", undefined);
    }
  };
  forEachNode(source, visit);
  return found;
}
