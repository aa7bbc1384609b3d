// Loops inside the drivers' transaction helpers commit or roll back together.
import postgres from 'postgres';
import knexFactory from 'knex';

const client = postgres(process.env.DATABASE_URL!);
const knex = knexFactory({ client: 'pg' });

export async function pushInvoices(invoices: { id: string; total: number }[]): Promise<void> {
  await client.begin(async (tx) => {
    for (const invoice of invoices) {
      await tx`INSERT INTO invoices (id, total) VALUES (${invoice.id}, ${invoice.total})`;
    }
  });
}

export async function pushPayments(payments: { id: string }[]): Promise<void> {
  await knex.transaction(async (trx) => {
    for (const payment of payments) {
      await trx('payments').insert(payment);
    }
  });
}

export async function readOnly(ids: string[]): Promise<void> {
  for (const id of ids) {
    await client`SELECT * FROM invoices WHERE id = ${id}`;
  }
}
