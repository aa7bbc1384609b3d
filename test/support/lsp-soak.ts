import { LspTestClient } from './lsp-client';
import { residentMegabytes } from './process-memory';

/**
 * Many edits to one open migration, as typing makes them: `burst` changes back to back (a word typed), then
 * a wait for the diagnostics of the last version (the pause in which the server lints). Each change rewrites
 * a counter in a comment, and every other burst also adds or removes a WHERE clause, so the findings change
 * too. Returns the server's resident memory sampled every `sampleEvery` edits.
 */
export async function soak(
  client: LspTestClient,
  uri: string,
  options: { edits: number; burst: number; sampleEvery: number },
): Promise<{ edit: number; rssMb: number }[]> {
  const samples: { edit: number; rssMb: number }[] = [];
  const pid = client.process.pid!;
  const text = () => client.document(uri).getText();
  for (let edit = 1; edit <= options.edits; edit++) {
    const counter = text().indexOf(COUNTER);
    const at = client.document(uri).positionAt(counter + COUNTER.length);
    let version = await client.change(uri, [
      {
        range: { start: at, end: { line: at.line, character: at.character + 6 } },
        text: String(edit % 1_000_000).padStart(6, '0'),
      },
    ]);
    if (edit % options.burst === 0) {
      if ((edit / options.burst) % 2 === 0) version = await client.change(uri, toggleWhere(text()));
      await client.diagnostics(uri, (_d, v) => v === version, 60_000);
    }
    if (edit % options.sampleEvery === 0) samples.push({ edit, rssMb: residentMegabytes(pid) ?? NaN });
  }
  return samples;
}

const COUNTER = '-- edit ';
const WHERE = ' WHERE id > 0;\n';

function toggleWhere(text: string): string {
  const update = "UPDATE plans SET note = 'soak'";
  return text.includes(update + WHERE)
    ? text.replace(update + WHERE, `${update};\n`)
    : text.replace(`${update};\n`, update + WHERE);
}

/** A migration of ~60 statements of the usual kinds, with the counter `soak` rewrites in the middle. */
export function soakMigration(): string {
  const lines = ['-- A long migration, edited many times over.'];
  for (let i = 0; i < 10; i++) {
    lines.push(
      `CREATE TABLE soak_${i} (id bigint PRIMARY KEY, account_id bigint NOT NULL, note text);`,
      `CREATE INDEX soak_${i}_account_idx ON soak_${i} (account_id);`,
      `ALTER TABLE soak_${i} ADD COLUMN created_at timestamptz DEFAULT now();`,
      `INSERT INTO soak_${i} (id, account_id) VALUES (1, 1), (2, 2);`,
      `CREATE FUNCTION soak_${i}_touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.note := coalesce(NEW.note, ''); RETURN NEW; END $$;`,
      `COMMENT ON TABLE soak_${i} IS 'table ${i}';`,
    );
    if (i === 5)
      lines.push(`${COUNTER}000000`, 'ALTER TABLE plans ADD COLUMN note text;', "UPDATE plans SET note = 'soak';");
  }
  return lines.join('\n') + '\n';
}

export const ORDERS_INDEX = 'CREATE INDEX orders_customer_id_idx ON orders (customer_id);\n';

/**
 * `count` migrations of one directory whose schema all starts from the first: `db/0001_create_orders.sql`
 * creates `orders`, and every later one deletes from it by a column no index serves — an `unindexed-filter`
 * finding that only the schema replayed from the first migration decides (`ORDERS_INDEX` added to the first
 * removes it everywhere). Relative path → text, in run order.
 */
export function dependantMigrations(count: number): Record<string, string> {
  const files: Record<string, string> = {
    'db/0001_create_orders.sql': 'CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL);\n',
  };
  for (let i = 2; i <= count; i++)
    files[`db/${String(i).padStart(4, '0')}_purge.sql`] = `DELETE FROM orders WHERE customer_id = ${i};\n`;
  return files;
}
