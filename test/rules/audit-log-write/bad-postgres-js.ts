import postgres from 'postgres';

// postgres-js: the `sql` function returned by postgres() is itself the query tag.
const sql = postgres(process.env.DATABASE_URL!);

export async function redact(userId: number) {
  await sql`UPDATE audit.events SET payload = NULL WHERE user_id = ${userId}`;
  await sql`
    WITH gone AS (DELETE FROM logs.changes WHERE user_id = ${userId} RETURNING id)
    SELECT count(*) FROM gone`;
}
