import { fileDirectiveRunner } from './file-directive';

/**
 * sqlx runs each migration file in a transaction unless its first line is `-- no-transaction`; it then sends the
 * file with one `execute`, one simple-protocol query, so several statements are still one implicit transaction
 * block. Its reversible `<version>_<name>.up.sql`/`.down.sql` pairs are named as golang-migrate's are.
 */
export const sqlx = fileDirectiveRunner({
  id: 'sqlx',
  name: 'sqlx',
  docs: 'https://docs.rs/sqlx/latest/sqlx/migrate/struct.Migration.html',
  packages: ['sqlx'],
  directive: /^\s*no-transaction\s*$/i,
  text: '-- no-transaction\n',
  withoutTransaction: 'one-query',
});
