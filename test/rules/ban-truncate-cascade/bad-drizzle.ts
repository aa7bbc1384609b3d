import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';

const db = drizzle(process.env.DATABASE_URL!);

// The forward sync of incident 3 on Drizzle: TRUNCATE ... CASCADE inside db.transaction.
export async function forwardSync(): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`TRUNCATE invoices CASCADE`);
    await tx.execute(sql`INSERT INTO invoices SELECT * FROM desktop_invoices`);
  });
}
