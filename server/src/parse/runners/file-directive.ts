import type { DirectiveComment } from '../migration-parts';
import { MigrationRunner, RunnerFacts, transactionalRunner } from './runner';

/**
 * What a runner that runs each .sql file as one migration documents about its per-file no-transaction directive:
 * the comment (at the top of the file) and how the runner then sends the file.
 */
export interface FileDirectiveRunnerFacts extends RunnerFacts {
  /** Matches the body (without `--`) of the directive comment. */
  directive: RegExp;
  /** The directive as the quick fix writes it, with the line break(s) after it. */
  text: string;
}

/**
 * The directive is only a directive at the top of the file (sqlx reads the first line, Atlas and Graphile
 * Migrate the comment block before the first statement): later, it is an ordinary comment.
 */
function leadingDirective(
  comments: readonly DirectiveComment[],
  directive: RegExp,
  firstStatement: number,
): DirectiveComment | undefined {
  return comments.find((comment) => comment.span.start < firstStatement && directive.test(comment.body));
}

/**
 * A runner whose only annotation is that directive: a file carrying it is recognised as the runner's, and the
 * file is one migration (its down half, if any, is a file of its own, named so).
 */
export function fileDirectiveRunner(facts: FileDirectiveRunnerFacts): MigrationRunner {
  return {
    ...transactionalRunner(facts),
    recognisedByDependency: true,
    recognise: (comments, firstStatement) => leadingDirective(comments, facts.directive, firstStatement),
    units({ comments, fileLength, firstStatement }) {
      const marker = leadingDirective(comments, facts.directive, firstStatement);
      return [{ section: 'script', span: { start: 0, end: fileLength }, marker, noTransaction: marker !== undefined }];
    },
    noTransactionSwitch: (unit, units) =>
      unit.noTransaction ? undefined : { offset: 0, text: facts.text, affects: units },
  };
}
