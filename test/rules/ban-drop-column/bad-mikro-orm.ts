import { Migration } from '@mikro-orm/migrations';

export class Migration20240702120000 extends Migration {
  async up(): Promise<void> {
    this.addSql('alter table if exists "product" drop column if exists "legacy_code";');
  }

  async down(): Promise<void> {
    this.addSql('alter table if exists "product" add column if not exists "legacy_code" text null;');
  }
}
