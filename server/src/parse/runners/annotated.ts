import type { DirectiveComment, MigrationUnit } from '../migration-parts';
import { MigrationRunner, NoTransactionSwitch, RunnerFacts, transactionalRunner } from './runner';

/**
 * What a runner that keeps Up and Down in one annotated .sql file documents: the marker comments that open each
 * section, and its no-transaction switch — a comment of its own for the whole file (goose) or an option on the
 * section's marker (dbmate, sql-migrate).
 */
export interface AnnotatedRunnerFacts extends RunnerFacts {
  /** Matches the body of the comment (without `--`) that opens the Up section. */
  up: RegExp;
  /** Absent for a runner whose file holds forward migrations only (Liquibase's changesets). */
  down?: RegExp;
  /** Absent for a runner whose SQL files have no such switch. */
  noTransaction?:
    | { scope: 'file'; comment: RegExp; /** The line added at the top of the file. */ line: string }
    | { scope: 'section'; option: RegExp; /** Appended to the marker line. */ suffix: string };
}

export function annotatedRunner(facts: AnnotatedRunnerFacts): MigrationRunner {
  const isDown = (comment: DirectiveComment) => facts.down?.test(comment.body) ?? false;
  const isMarker = (comment: DirectiveComment) => facts.up.test(comment.body) || isDown(comment);
  return {
    ...transactionalRunner(facts),
    recognise: (comments) => comments.find(isMarker),
    units({ comments, fileLength }) {
      const switch_ = facts.noTransaction;
      const wholeFile = switch_?.scope === 'file' && comments.some((comment) => switch_.comment.test(comment.body));
      const markers = comments.filter(isMarker);
      return markers.map((marker, i): MigrationUnit => ({
        section: isDown(marker) ? 'down' : 'up',
        span: { start: marker.span.end, end: markers[i + 1]?.span.start ?? fileLength },
        marker,
        noTransaction: wholeFile || (switch_?.scope === 'section' && switch_.option.test(marker.body)),
      }));
    },
    noTransactionSwitch(unit, units): NoTransactionSwitch | undefined {
      const switch_ = facts.noTransaction;
      if (unit.noTransaction || !switch_) return undefined;
      return switch_.scope === 'file'
        ? { offset: 0, text: `${switch_.line}\n`, affects: units }
        : unit.marker && { offset: unit.marker.span.end, text: switch_.suffix, affects: [unit] };
    },
  };
}
