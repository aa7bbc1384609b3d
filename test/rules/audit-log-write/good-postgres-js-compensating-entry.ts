// The reviewers' fix: append a compensating entry instead of deleting audit rows.
import postgres from 'postgres';

const client = postgres(process.env.DATABASE_URL!, { max: 4 });

export async function removeDuplicates(ids: string[]): Promise<void> {
  await client.begin(async (tx) => {
    await tx`DELETE FROM patient_links WHERE id = ANY(${ids})`;
    await tx`INSERT INTO logs.changes (record_id, record_deleted_at, reason) SELECT unnest(${ids}::uuid[]), now(), 'dedupe'`;
  });
}
