import * as path from 'path';
import { fieldsOf } from '../ast';
import type { Statement } from '../sql';
import { MigrationRunner, transactionalRunner, wholeFileUnit } from './runner';

/**
 * The statements Flyway's PostgreSQL parser marks as unable to run in a transaction
 * (`PostgreSQLParser.detectCanExecuteInTransaction`): `CREATE`/`DROP [UNIQUE] INDEX CONCURRENTLY`, `REINDEX
 * SCHEMA|DATABASE|SYSTEM`, `VACUUM`, `DISCARD ALL`, `CREATE`/`DROP DATABASE|TABLESPACE|SUBSCRIPTION`, `ALTER
 * SYSTEM` (and `ALTER TYPE ... ADD VALUE` before PostgreSQL 12, which Preflight does not target). Flyway matches
 * the statement's text; the parse tree says the same. `REINDEX TABLE ... CONCURRENTLY` and `DETACH PARTITION ...
 * CONCURRENTLY` are not in the list: Flyway runs them in its transaction, where they fail.
 */
export function flywayNonTransactional(statement: Statement): boolean {
  const fields = fieldsOf(statement.node);
  switch (statement.type) {
    case 'IndexStmt':
      return Boolean(fields.concurrent);
    case 'DropStmt':
      return fields.removeType === 'OBJECT_INDEX' && Boolean(fields.concurrent);
    case 'ReindexStmt':
      return ['REINDEX_OBJECT_SCHEMA', 'REINDEX_OBJECT_DATABASE', 'REINDEX_OBJECT_SYSTEM'].includes(fields.kind);
    case 'VacuumStmt':
      return Boolean(fields.is_vacuumcmd);
    case 'DiscardStmt':
      return fields.target === 'DISCARD_ALL';
    case 'CreatedbStmt':
    case 'DropdbStmt':
    case 'CreateTableSpaceStmt':
    case 'DropTableSpaceStmt':
    case 'CreateSubscriptionStmt':
    case 'DropSubscriptionStmt':
    case 'AlterSystemStmt':
      return true;
    default:
      return false;
  }
}

/**
 * Flyway runs each versioned (`V2__x.sql`), undo (`U2__x.sql`) and repeatable (`R__x.sql`) migration in a
 * transaction of its own, sending its statements one by one over JDBC — unless the migration holds statements its
 * PostgreSQL parser says cannot run in one (above): a migration of only such statements runs without a transaction,
 * and one that mixes them with others is refused ("Detected both transactional and non-transactional statements
 * within the same migration (even though mixed is false)") unless `mixed=true`, which runs it all without a
 * transaction. A script configuration file beside it (`V2__x.sql.conf`) with `executeInTransaction=false` (or
 * `true`) overrides that decision.
 */
export const flyway: MigrationRunner = {
  ...transactionalRunner({
    id: 'flyway',
    name: 'Flyway',
    docs: 'https://documentation.red-gate.com/fd/flyway-execute-in-transaction-setting-277578997.html',
    packages: ['org.flywaydb'],
    withoutTransaction: 'statements',
    noSwitchAdvice: (filePath, directory) =>
      directory?.transactionSetting?.inTransaction
        ? `${path.basename(directory.transactionSetting.file)} says \`executeInTransaction=true\`, so Flyway runs this migration in a transaction, where the statement fails (flyway/flyway#3854): set it to false, with the statement alone in its migration.`
        : `Flyway runs a migration outside a transaction when it holds only statements that cannot run in one: move the statement to a V migration of its own, or create ${path.basename(filePath)}.conf beside this file holding \`executeInTransaction=false\` (a migration that mixes both is refused unless \`mixed=true\`).`,
    sends: [
      'an advisory lock on its schema history table: pg_try_advisory_xact_lock in a transaction, or a session pg_try_advisory_lock with postgresql.transactional.lock=false (a CONCURRENTLY build waits for the transaction holding the lock: flyway/flyway#3682)',
      'INSERT INTO flyway_schema_history ... after each migration',
    ],
  }),
  recognise: () => undefined,
  units({ fileLength, statements, directory }) {
    const setting = directory?.transactionSetting;
    const onlyNonTransactional = statements.length > 0 && statements.every(flywayNonTransactional);
    return [wholeFileUnit(fileLength, setting ? !setting.inTransaction : onlyNonTransactional)];
  },
  noTransactionSwitch: () => undefined,
};
