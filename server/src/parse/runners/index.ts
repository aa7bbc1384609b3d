import type { DirectiveComment } from '../migration-parts';
import { atlas } from './atlas';
import { dbmate } from './dbmate';
import { RunnerDependency, projectDependencies } from './dependencies';
import { evidenceAround } from './directory';
import { diesel } from './diesel';
import { drizzle } from './drizzle';
import { flyway } from './flyway';
import { golangMigrate } from './golang-migrate';
import { goose } from './goose';
import { graphileMigrate } from './graphile-migrate';
import { liquibase } from './liquibase';
import { nodePgMigrate } from './node-pg-migrate';
import { prisma } from './prisma';
import { psql } from './psql';
import type { DirectoryEvidence, MigrationRunner, RunnerId } from './runner';
import { sqlMigrate } from './sql-migrate';
import { sqlx } from './sqlx';
import { supabase } from './supabase';

export type { DirectoryEvidence, MigrationRunner, NoTransactionSwitch, RunnerId, SectionWrapping } from './runner';
export type { MigrationUnit } from '../migration-parts';

/**
 * Every runner model; the ones a file can be recognised by come before psql, the fallback. Flyway, Prisma, Diesel
 * and the Supabase CLI are recognised by the files around a migration (`directoryEvidence`), Drizzle Kit also by its
 * `--> statement-breakpoint` comments.
 */
export const RUNNERS: readonly MigrationRunner[] = [
  goose,
  dbmate,
  sqlMigrate,
  nodePgMigrate,
  liquibase,
  sqlx,
  atlas,
  graphileMigrate,
  golangMigrate,
  flyway,
  drizzle,
  prisma,
  diesel,
  supabase,
  psql,
];

/** What the files around a .sql migration, and its project's dependencies, say about its runner (parse/runners/directory.ts). */
export function directoryEvidence(filePath: string): DirectoryEvidence | undefined {
  return evidenceAround(filePath, RUNNERS);
}

/** The modelled runners the project around `folder` depends on (`go.mod`, `package.json`, `Cargo.toml`, ...). */
export function runnerDependencies(folder: string): RunnerDependency[] {
  return projectDependencies(folder, RUNNERS);
}

export const RUNNER_IDS: readonly RunnerId[] = RUNNERS.map((runner) => runner.id);

export function runnerById(id: RunnerId): MigrationRunner {
  return RUNNERS.find((runner) => runner.id === id) ?? psql;
}

/**
 * The runner a .sql file was written for: by a runner's annotation in it (and that comment), else by a runner's
 * naming scheme, else psql.
 */
export function recogniseRunner(
  fileName: string,
  comments: readonly DirectiveComment[],
  firstStatement: number,
): { runner: MigrationRunner; evidence?: DirectiveComment; byName?: true } {
  for (const runner of RUNNERS) {
    const evidence = runner.recognise(comments, firstStatement);
    if (evidence) return { runner, evidence };
  }
  const named = RUNNERS.find((runner) => runner.recogniseName?.(fileName));
  return named ? { runner: named, byName: true } : { runner: psql };
}
