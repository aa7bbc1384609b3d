import type { DeploymentVariant } from '../resolved-config';
import { describeOperation } from '../lint/describe';
import { Finding, Rule } from '../lint/rule';
import { reportPerVariant } from '../lint/variants';
import { DIALECTS, DIALECT_NAMES } from '../parse/dialect';
import type { MigrationFile, Operation } from '../parse/migration';
import type { TransactionBlock } from '../parse/transactions';
import type { Catalog } from '../schema/catalog';
import { PendingTriggerFailure, pendingTriggerFailures } from '../schema/pending-triggers';
import { presenceOn, undecidedConditions } from '../schema/variants';
import { mixingRole } from './mixed-ddl-dml/mixing';
import { planMigrationSplit } from './mixed-ddl-dml/split';

const SPLIT_HELP =
  'Split it into separate migrations that each run in their own transaction: the schema change, then the ' +
  'data change, then any schema change that depends on the data (DDL / DML / DDL).';

/** The split help, and what the runner makes of a split when it runs all pending migrations in one transaction (Drizzle). */
function splitHelp(file: MigrationFile): string {
  const shared = file.runner?.source !== 'default' ? file.runner?.runner.pendingMigrationsShareTransaction : undefined;
  return shared ? `${SPLIT_HELP} ${shared}` : SPLIT_HELP;
}

export const rule: Rule = {
  id: 'mixed-ddl-dml',
  severity: 'warning',
  summary: 'Schema changes (DDL) and data changes (DML) in one transaction.',
  dialects: DIALECTS,
  examples: {
    bad: "ALTER TABLE sync_lookup ADD COLUMN note text;\nUPDATE sync_lookup SET note = '';",
    good: "BEGIN;\nALTER TABLE sync_lookup ADD COLUMN note text;\nCOMMIT;\nBEGIN;\nUPDATE sync_lookup SET note = '';\nCOMMIT;",
  },
  // The split lives beside the rule (rules/mixed-ddl-dml/split.ts) and divides where this rule sees mixing.
  refactoring: {
    title: 'Split into schema and data migrations (DDL / DML / DDL)',
    plan: (file) => planMigrationSplit(file),
  },
  check({ file, catalog, catalogAt, config, report }) {
    // With a schema, a data change on a table with a deferred constraint trigger followed by DDL on that table
    // is not a style problem: PostgreSQL refuses the DDL, and the migration fails.
    const failuresOn = failureFinder(file, catalog && catalogAt);
    for (const block of file.transactions) {
      const created = new Set<string>();
      let firstDdl: Operation | undefined;
      let firstDml: Operation | undefined;
      for (const operation of block.operations) {
        const role = mixingRole(file, operation, created);
        if (role === 'ddl') firstDdl ??= operation;
        if (role === 'dml') firstDml ??= operation;
        operation.creates.forEach((table) => created.add(table));
      }
      if (!firstDdl || !firstDml) continue;
      const mixed = { ddl: firstDdl, dml: firstDml };
      // A trigger created under a condition of the migration's code exists on some servers only: judged per variant.
      const conditional = failuresOn(undefined).get(block)?.trigger.onlyWhen !== undefined;
      reportPerVariant(
        conditional ? config.variants : [],
        (variant) => judgeBlock(file, mixed, failuresOn(variant).get(block), variant),
        report,
      );
    }
  },
};

/**
 * The pending-trigger failures of the file on a variant's servers, found once per variant; none without a schema
 * source (`catalogAt` undefined).
 */
function failureFinder(file: MigrationFile, catalogAt: ((operation: Operation) => Catalog) | undefined) {
  const found = new Map<DeploymentVariant | undefined, Map<TransactionBlock, PendingTriggerFailure>>();
  return (variant: DeploymentVariant | undefined) => {
    let failures = found.get(variant);
    if (!failures) {
      failures =
        catalogAt && file.dialect === 'postgresql' ? pendingTriggerFailures(file, catalogAt, variant) : new Map();
      found.set(variant, failures);
    }
    return failures;
  };
}

function judgeBlock(
  file: MigrationFile,
  mixed: { ddl: Operation; dml: Operation },
  failure: PendingTriggerFailure | undefined,
  variant: DeploymentVariant | undefined,
): Finding {
  const { ddl: firstDdl, dml: firstDml } = mixed;
  if (failure) {
    const relname = failure.table.slice(failure.table.indexOf('.') + 1);
    const trigger = failure.trigger;
    const fails =
      presenceOn(trigger.onlyWhen, variant) === 'some-servers'
        ? `Where ${trigger.name} exists, this migration will fail (the trigger is created only when ${undecidedConditions(trigger.onlyWhen, variant)})`
        : 'This migration will fail';
    return {
      span: failure.write.fileSpan,
      severity: 'error',
      message:
        `${fails}: ${describeOperation(failure.write)} fires the deferred constraint trigger ` +
        `${trigger.name} on ${failure.table}, whose events stay pending until commit, so ` +
        `${describeOperation(failure.ddl)} (line ${file.lines.positionAt(failure.ddl.fileSpan.start).line + 1}) in the ` +
        `same transaction fails with "cannot ${failure.command} "${relname}" because it has pending trigger events" ` +
        `(SQLSTATE 55006) as soon as the data change touches a row, and the whole migration rolls back.`,
      help: splitHelp(file),
    };
  }
  const ddlLine = file.lines.positionAt(firstDdl.fileSpan.start).line + 1;
  if (file.dialect !== 'postgresql') {
    // MySQL commits the open transaction before and after each DDL statement: there is no such transaction.
    return {
      span: firstDml.fileSpan,
      message:
        `${describeOperation(firstDml, file.dialect)} changes data in the same migration as ${describeOperation(firstDdl, file.dialect)} (line ` +
        `${ddlLine}), but ${DIALECT_NAMES[file.dialect]} commits implicitly before and after every DDL statement: the ` +
        `transaction silently ends there, so if a later statement fails, the statements before it stay applied ` +
        `and the migration is left half done, with nothing rolled back.`,
      help: splitHelp(file),
    };
  }
  return {
    span: firstDml.fileSpan,
    message:
      `${describeOperation(firstDml)} changes data in the same transaction as ${describeOperation(firstDdl)} ` +
      `(line ${ddlLine}). Where tables have deferred (audit) constraint triggers, an ALTER TABLE after the data ` +
      `change fails with "cannot ALTER TABLE ... because it has pending trigger events"; in any case the DDL's ` +
      `lock is held until the whole data change commits.`,
    help: splitHelp(file),
  };
}
