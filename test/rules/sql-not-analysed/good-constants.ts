// The SQL is in the file (a const, a literal, a template): every statement is checked.
import postgres from 'postgres';

const sql = postgres(process.env.DATABASE_URL!);
const ARCHIVE = 'INSERT INTO events_archive SELECT * FROM events WHERE created_at < $1';

export async function archive(cutoff: Date): Promise<void> {
  await sql.unsafe(ARCHIVE, [cutoff]);
  await sql`DELETE FROM events WHERE created_at < ${cutoff}`;
}
