import { fileDirectiveRunner } from './file-directive';

/**
 * Graphile Migrate runs each migration in a transaction unless the file starts with the special comment
 * `--! no-transaction`; it then sends the file as one query, which `pg` runs as one implicit transaction when it
 * holds several statements — so such a migration must hold exactly one.
 */
export const graphileMigrate = fileDirectiveRunner({
  id: 'graphile-migrate',
  name: 'Graphile Migrate',
  docs: 'https://github.com/graphile/migrate#transactions',
  packages: ['graphile-migrate'],
  directive: /^!\s*no-transaction\s*$/i,
  text: '--! no-transaction\n',
  withoutTransaction: 'one-query',
});
