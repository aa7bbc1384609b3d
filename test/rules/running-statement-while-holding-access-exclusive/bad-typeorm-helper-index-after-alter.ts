import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';

// The same table, written the same way: the index build reads every row while the ALTER's lock blocks all traffic.
async function addSyncTick(queryRunner: QueryRunner, table: string) {
  await queryRunner.addColumn(table, new TableColumn({ name: 'updatedAtSyncTick', type: 'bigint', isNullable: true }));
  await queryRunner.createIndex(table, new TableIndex({ name: `${table}_updated_at_sync_tick`, columnNames: ['updatedAtSyncTick'] }));
}

export class AlterModelsForV2Sync1663710579000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await addSyncTick(queryRunner, 'encounter');
  }

  async down(): Promise<void> {}
}
