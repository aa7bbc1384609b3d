import { parsePlPgSQLSync, parseSync, scanSync } from 'libpg-query';
import { STATEMENT_CACHE_CHARS, TextCache } from './text-cache';

/**
 * libpg-query's parser, scanner and PL/pgSQL parser, each answer kept for the statement texts seen most recently
 * (see TextCache): a statement that did not change is not parsed or scanned again. A text that fails throws the
 * same error every time. Trees and token lists are shared: never change them.
 */

type Outcome<T> = { value: T } | { error: unknown };

function cached<T>(run: (text: string) => T): (text: string) => T {
  const cache = new TextCache<Outcome<T>>(STATEMENT_CACHE_CHARS);
  return (text) => {
    const outcome = cache.get(text, () => {
      try {
        return { value: run(text) };
      } catch (error) {
        return { error };
      }
    });
    if ('error' in outcome) throw outcome.error;
    return outcome.value;
  };
}

export const parseSql: (text: string) => ReturnType<typeof parseSync> = cached(parseSync);
/**
 * The parser without the cache, for the statements of a script longer than the cache holds: a whole-file lint
 * walks its statements in order, so the least recently used text is always the next one asked for and the cache
 * never answers; it would only keep trees alive and churn (a fifth of the CPU time of a 200,000-statement file).
 */
export const parseSqlUncached: (text: string) => ReturnType<typeof parseSync> = parseSync;
export const scanSql: (text: string) => ReturnType<typeof scanSync> = cached(scanSync);
export const parsePlpgsql: (text: string) => ReturnType<typeof parsePlPgSQLSync> = cached(parsePlPgSQLSync);
