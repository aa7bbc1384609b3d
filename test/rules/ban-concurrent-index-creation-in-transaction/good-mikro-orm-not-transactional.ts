import { Migration } from '@mikro-orm/migrations';

// The fix: this migration opts out of MikroORM's transaction, so each statement runs on its own.
export class Migration20240611093012 extends Migration {
  isTransactional(): boolean {
    return false;
  }

  async up(): Promise<void> {
    this.addSql('alter table "product_variant" add column if not exists "barcode" text null;');
    this.addSql('create index concurrently if not exists "product_variant_sku_index" on "product_variant" ("sku");');
  }
}
