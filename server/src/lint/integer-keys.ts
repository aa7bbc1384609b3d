import {
  builtinTypeName,
  columnDefinitions,
  isKeyColumn,
  replaceTypeFix,
  typeFileSpan,
  writtenType,
} from './column-types';
import type { OptionSpec, RuleContext } from './rule';

/** A family of integer types narrower than bigint, and the 64-bit spelling for each of its spellings. */
export interface NarrowIntegers {
  /** Parser-normalised names (`int4`, `serial`). */
  types: ReadonlySet<string>;
  /** Lowercased spelling as written → 64-bit spelling; anything else becomes `bigint`. */
  wider: Readonly<Record<string, string>>;
  bits: number;
  max: string;
}

export const KEY_COLUMNS_ONLY_OPTION: Record<string, OptionSpec> = {
  keyColumnsOnly: {
    type: 'boolean',
    default: true,
    description:
      'Only flag key columns (primary and foreign keys, identity and serial columns, columns named id, *_id or *Id).',
  },
};

/**
 * Reports key columns of a narrow integer type. An id column that runs out of values stops every insert
 * until it is widened, and widening rewrites the table and each table whose foreign keys reference it.
 */
export function reportNarrowIntegerKeys({ file, options, report }: RuleContext, family: NarrowIntegers): void {
  for (const column of columnDefinitions(file)) {
    const type = builtinTypeName(column.typeName);
    if (!type || !family.types.has(type) || (options.keyColumnsOnly && !isKeyColumn(column))) continue;
    const written = writtenType(column) ?? type;
    const wider = family.wider[written.toLowerCase()] ?? 'bigint';
    report({
      span: typeFileSpan(column),
      message:
        `${column.column} is a ${family.bits}-bit ${written} key: its values run out at ${family.max} and inserts then fail ` +
        'until the column is widened, which rewrites the table (and every table referencing it) under an ACCESS EXCLUSIVE lock.',
      help: 'Use bigint (bigserial, or an identity column on bigint): a few more bytes per row, and that migration is never needed.',
      // Not applied by --fix: clients may read the wider type differently (node-postgres returns bigint as a string).
      fix: replaceTypeFix(column, wider, `Use ${wider}`, false),
    });
  }
}
