// The fix of incident 3: upsert the desktop's rows instead of truncating everyone's.
import postgres from 'postgres';

const client = postgres(process.env.DATABASE_URL!);

export async function forwardSync(rows: unknown[]): Promise<void> {
  await client.begin(async (tx) => {
    await tx`INSERT INTO invoices ${tx(rows as never)} ON CONFLICT (id) DO UPDATE SET total = excluded.total WHERE invoices.source = 'desktop'`;
  });
}
