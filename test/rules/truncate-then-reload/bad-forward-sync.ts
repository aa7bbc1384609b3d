// The forward sync of incident 3, as a service class: it replaces the cloud's invoices with the desktop's copy.
// It is atomic and locked (TRUNCATE holds ACCESS EXCLUSIVE until COMMIT), and still deletes every invoice a
// mobile client created since the last sync.
import { Pool, PoolClient } from 'pg';

interface DesktopInvoice {
  id: string;
  customerId: string;
  total: number;
}

export class InvoiceSync {
  constructor(private readonly pool: Pool) {}

  async pushFromDesktop(invoices: DesktopInvoice[]): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('TRUNCATE invoices');
      await this.insertAll(client, invoices);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  }

  private async insertAll(client: PoolClient, invoices: DesktopInvoice[]): Promise<void> {
    for (const invoice of invoices) {
      await client.query('INSERT INTO invoices (id, customer_id, total) VALUES ($1, $2, $3)', [
        invoice.id,
        invoice.customerId,
        invoice.total,
      ]);
    }
  }
}
