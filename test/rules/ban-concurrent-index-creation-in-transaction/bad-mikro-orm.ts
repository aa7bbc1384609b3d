import { Migration } from '@mikro-orm/migrations';

// MikroORM runs each migration in a transaction by default: CREATE INDEX CONCURRENTLY fails there (25001).
export class Migration20240611093012 extends Migration {
  async up(): Promise<void> {
    this.addSql('alter table "product_variant" add column if not exists "barcode" text null;');
    this.addSql('create index concurrently "product_variant_sku_index" on "product_variant" ("sku");');
  }

  async down(): Promise<void> {
    this.addSql('drop index if exists "product_variant_sku_index";');
  }
}
