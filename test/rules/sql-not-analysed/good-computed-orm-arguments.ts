import { MigrationInterface, QueryRunner } from 'typeorm';
import { VISIBILITY_STATUSES } from '@tamanu/constants';

// Names and values only the running code knows, in the places an ORM takes them: every call is still analysed.
async function dropLegacyColumn(queryRunner: QueryRunner, tableName: string, columnName: string) {
  await queryRunner.dropColumn(tableName, columnName);
}

export class LegacyColumns1700000000003 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await dropLegacyColumn(queryRunner, 'patient', 'legacy_id');
    await queryRunner.query(`SELECT 1`);
    await queryRunner.addColumn('patient', {
      name: 'visibility_status',
      type: 'text',
      isNullable: false,
      default: VISIBILITY_STATUSES.CURRENT,
    } as never);
  }

  async down(): Promise<void> {}
}
