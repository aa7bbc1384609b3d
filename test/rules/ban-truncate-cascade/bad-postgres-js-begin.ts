// The forward sync of incident 3, through postgres-js: TRUNCATE ... CASCADE inside a transaction callback.
import postgres from 'postgres';

const client = postgres(process.env.DATABASE_URL!);

export async function forwardSync(rows: unknown[]): Promise<void> {
  await client.begin(async (tx) => {
    await tx`TRUNCATE invoices CASCADE`;
    await tx`INSERT INTO invoices ${tx(rows as never)}`;
  });
}
