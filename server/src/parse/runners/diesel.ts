import * as path from 'path';
import { MigrationRunner, transactionalRunner, wholeFileUnit } from './runner';

/**
 * Diesel runs `migrations/<timestamp>_name/up.sql` (and `down.sql` to revert) in a transaction
 * (`MigrationHarness::run_migration`) unless the folder's `metadata.toml` says `run_in_transaction = false`; either way
 * it sends the file with one `batch_execute`, one simple-protocol query, so without the transaction several statements
 * are still one implicit transaction block: CONCURRENTLY works there only alone.
 */
export const diesel: MigrationRunner = {
  ...transactionalRunner({
    id: 'diesel',
    name: 'Diesel',
    docs: 'https://github.com/diesel-rs/diesel/blob/master/diesel_migrations/src/migration_harness.rs',
    packages: ['diesel_migrations', 'diesel'],
    withoutTransaction: 'one-query',
    noSwitchAdvice: (filePath, directory) =>
      directory?.transactionSetting?.inTransaction === false
        ? `Diesel sends ${path.basename(filePath)} as one query even with \`run_in_transaction = false\`, and PostgreSQL runs several statements of one query as one transaction block: keep this statement alone in its migration folder.`
        : `Create ${path.join(path.basename(path.dirname(filePath)), 'metadata.toml')} holding \`run_in_transaction = false\` and keep this statement alone in ${path.basename(filePath)}: Diesel sends the file as one query, where several statements are still one transaction block.`,
    sends: ['INSERT INTO __diesel_schema_migrations ... after up.sql (DELETE after down.sql), in its transaction'],
  }),
  recognise: () => undefined,
  units: ({ fileLength, directory }) => [
    wholeFileUnit(fileLength, directory?.transactionSetting?.inTransaction === false),
  ],
  noTransactionSwitch: () => undefined,
};
