import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

// The down migration drops, through a helper, the column its up added: a rollback, not a break of running code.
async function addStringColumn(queryRunner: QueryRunner, tableName: string, columnName: string) {
  await queryRunner.addColumn(tableName, new TableColumn({ name: columnName, type: 'text', isNullable: true }));
}

async function dropStringColumn(queryRunner: QueryRunner, tableName: string, columnName: string) {
  await queryRunner.dropColumn(tableName, columnName);
}

export class PatientDisplayName1700000000001 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await addStringColumn(queryRunner, 'patient', 'display_name');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropStringColumn(queryRunner, 'patient', 'display_name');
  }
}
