// Dedupe remediation through postgres-js: statements inside `begin` and `savepoint` callbacks run too.
import postgres from 'postgres';

const client = postgres(process.env.DATABASE_URL!, { max: 4 });

export class DedupeService {
  async removeDuplicates(ids: string[]): Promise<void> {
    await client.begin(async (tx) => {
      await tx`DELETE FROM patient_links WHERE id = ANY(${ids})`;
      await tx.savepoint(async (sp) => {
        await sp`DELETE FROM logs.changes WHERE record_id = ANY(${ids})`;
      });
    });
  }
}
