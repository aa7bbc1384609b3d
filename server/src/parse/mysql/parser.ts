import { nodeType } from '../ast';
import type { Dialect } from '../dialect';
import type { SqlFragment } from '../fragment';
import { ParsedFragment, Statement, fillClientPlaceholders } from '../sql';
import { ByteOffsets, Span } from '../text';
import { nameSpanAt } from './scanner';
import { splitMySql } from './splitter';
import { MySqlAst, translateStatement } from './translate';

/**
 * Parses MySQL or MariaDB SQL into statements with exact ranges. node-sql-parser gives statements no
 * locations, so the text is split first (MySQL's lexical rules, `DELIMITER` lines in scripts) and each
 * statement is parsed alone; a parse error's position maps back into the file.
 *
 * node-sql-parser does not know every MySQL statement (stored program bodies, `ALTER COLUMN ... SET DEFAULT`,
 * `OPTIMIZE TABLE`): a statement it cannot read gets `syntaxError` like a PostgreSQL statement that does not
 * parse, but MySQL may well accept it, which the parse-error rule says.
 */
export function parseMySqlFragment(fragment: SqlFragment, dialect: Exclude<Dialect, 'postgresql'>): ParsedFragment {
  const { chunks, comments } = splitMySql(fragment.sql, { clientCommands: fragment.psql });
  const statements = chunks.map((chunk) => {
    if (chunk.unterminated) {
      const syntaxError = {
        message: `unterminated ${chunk.unterminated.what}`,
        fileSpan: fragment.toFile(chunk.unterminated.span),
      };
      return mysqlStatement(fragment, dialect, chunk.span, { syntaxError });
    }
    return parseChunk(fragment, dialect, chunk.span);
  });
  return { statements, comments };
}

interface ParseFailure {
  message: string;
  /** Offset in the statement text. */
  offset: number;
}

function parseChunk(fragment: SqlFragment, dialect: Exclude<Dialect, 'postgresql'>, span: Span): Statement {
  const text = fragment.sql.slice(span.start, span.end);
  let result = astify(text, dialect);
  // Drivers and query builders fill placeholders in (`??` identifiers, `:name`, template markup) before
  // MySQL sees the text; only when it does not parse as it is, try again with them filled in.
  let parsedText = text;
  if ('failure' in result) {
    const filled = fillClientPlaceholders(text);
    const retried = filled !== text ? astify(filled, dialect) : undefined;
    if (retried && 'ast' in retried) {
      result = retried;
      parsedText = filled;
    }
  }
  if ('failure' in result) {
    const at = span.start + Math.min(result.failure.offset, text.length);
    if (fragment.holes.some((hole) => hole.start < span.end && hole.end > span.start)) {
      // What a `${}` hole stands for is unknown here: not a syntax error of the file.
      return mysqlStatement(fragment, dialect, span, {});
    }
    return mysqlStatement(fragment, dialect, span, {
      syntaxError: {
        message: result.failure.message,
        fileSpan: fragment.toFile(nameSpanAt(fragment.sql, at, span.end)),
      },
    });
  }
  return mysqlStatement(fragment, dialect, span, { ast: result.ast, node: translateStatement(result.ast, parsedText) });
}

type ParserClass = new () => { astify(sql: string, options: object): MySqlAst | MySqlAst[] };
const parsers = new Map<string, InstanceType<ParserClass>>();

/** node-sql-parser's grammar for one database, loaded on first use (each build is its own module). */
function parserFor(database: 'mysql' | 'mariadb'): InstanceType<ParserClass> {
  let parser = parsers.get(database);
  if (!parser) {
    /* eslint-disable @typescript-eslint/no-require-imports -- each dialect's parser loads on first use */
    const { Parser } = (
      database === 'mysql' ? require('node-sql-parser/build/mysql') : require('node-sql-parser/build/mariadb')
    ) as { Parser: ParserClass };
    /* eslint-enable @typescript-eslint/no-require-imports */
    parser = new Parser();
    parsers.set(database, parser);
  }
  return parser;
}

/**
 * node-sql-parser's MariaDB grammar lags behind its MySQL one (it rejects `ADD CONSTRAINT ... FOREIGN KEY`
 * and `UPDATE ... LIMIT`, which MariaDB runs), and MariaDB accepts MySQL's syntax for everything a migration
 * does: for MariaDB, the MySQL grammar is the fallback.
 */
function astify(text: string, dialect: Exclude<Dialect, 'postgresql'>): { ast: MySqlAst } | { failure: ParseFailure } {
  const grammars: ('mysql' | 'mariadb')[] = dialect === 'mariadb' ? ['mariadb', 'mysql'] : ['mysql'];
  let failure: ParseFailure | undefined;
  for (const grammar of grammars) {
    try {
      const parsed = parserFor(grammar).astify(text, {
        database: grammar === 'mysql' ? 'MySQL' : 'MariaDB',
        parseOptions: { includeLocations: true },
      });
      const ast = Array.isArray(parsed) ? parsed[0] : parsed;
      if (ast) return { ast };
      failure ??= { message: 'empty statement', offset: 0 };
    } catch (error) {
      failure ??= parseFailure(error, text);
    }
  }
  return { failure: failure! };
}

/** pegjs errors list every token that could have come next; say where it went wrong instead. */
function parseFailure(error: unknown, text: string): ParseFailure {
  const { found, location } = error as { found?: string | null; location?: { start?: { offset?: number } } };
  const offset = location?.start?.offset ?? 0;
  if (location === undefined) return { message: String((error as Error).message ?? error).split('\n')[0], offset: 0 };
  const near = found ? (text.slice(offset).match(/^\S+/)?.[0] ?? found) : undefined;
  return { message: near ? `syntax error at or near "${near.slice(0, 40)}"` : 'syntax error at end of input', offset };
}

interface StatementParts {
  ast?: MySqlAst;
  node?: Statement['node'];
  syntaxError?: Statement['syntaxError'];
}

function mysqlStatement(fragment: SqlFragment, dialect: Dialect, span: Span, parts: StatementParts): Statement {
  const text = fragment.sql.slice(span.start, span.end);
  let bytes: ByteOffsets | undefined;
  return {
    fragment,
    dialect,
    mysql: parts.ast,
    kind: 'statement',
    span,
    fileSpan: fragment.toFile(span),
    text,
    node: parts.node,
    type: nodeType(parts.node),
    syntaxError: parts.syntaxError,
    locate(byteLocation) {
      bytes ??= new ByteOffsets(text);
      const at = span.start + bytes.toChar(Math.max(0, byteLocation ?? 0));
      return fragment.toFile(nameSpanAt(fragment.sql, at, span.end));
    },
  };
}
