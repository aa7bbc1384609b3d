// A sync service that inserts row by row through a postgres-js instance: every row commits on its own.
import postgres from 'postgres';

interface Invoice {
  id: string;
  total: number;
}

export class InvoiceSync {
  private readonly client = postgres(process.env.DATABASE_URL!, { max: 4 });

  async push(invoices: Invoice[]): Promise<void> {
    await Promise.all(invoices.map((invoice) => this.client`INSERT INTO invoices (id, total) VALUES (${invoice.id}, ${invoice.total})`));
  }
}
