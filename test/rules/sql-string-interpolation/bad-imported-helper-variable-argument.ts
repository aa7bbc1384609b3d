import { Migration } from '@mikro-orm/migrations';
import { alterColumnIfExists } from '@app/db-utils';

// The same helper fed a value the file does not fix.
export class Migration20240219102530 extends Migration {
  async up(): Promise<void> {
    const table = process.env.ORDER_TABLE ?? 'order';
    this.addSql(`${alterColumnIfExists(table, ['payment_status'], 'DROP NOT NULL')}`);
  }
}
