import { Migration } from '@mikro-orm/migrations';
import { alterColumnIfExists } from '@app/db-utils';

// A helper of the project's own code, called with constants only: the file fixes the text it returns.
export class Migration20240219102530 extends Migration {
  async up(): Promise<void> {
    this.addSql(`
      DROP INDEX IF EXISTS "IDX_order_display_id";
      ${alterColumnIfExists('order', ['fulfillment_status', 'payment_status'], 'DROP NOT NULL')}
    `);
  }
}
