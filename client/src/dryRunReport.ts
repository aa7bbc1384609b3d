/**
 * The dry-run report the language server returns from `preflight.server.dryRun`: the engine's own JSON
 * (issue 4's shape), typed from the engine's declarations. Type-only: nothing of the engine is bundled
 * into the client.
 */
export type {
  DryRunReport,
  StatementReport as DryRunStatement,
  StatementError as DryRunStatementError,
  StatementStatus,
  ProgramRun,
  TableChange,
} from '../../shared/protocol';
