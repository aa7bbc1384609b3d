import { Migration } from '@mikro-orm/migrations';

// A schema change and a backfill in one MikroORM migration: one transaction.
export class Migration20240801101500 extends Migration {
  async up(): Promise<void> {
    this.addSql('alter table "order" add column "display_id" text null;');
    this.addSql(`update "order" set "display_id" = "id"::text where "display_id" is null;`);
  }
}
