import { Migration } from '@mikro-orm/migrations';

// The schema change alone; the backfill lives in the next migration.
export class Migration20240801101500 extends Migration {
  async up(): Promise<void> {
    this.addSql('alter table "order" add column "display_id" text null;');
  }

  async down(): Promise<void> {
    this.addSql('alter table "order" drop column "display_id";');
  }
}
