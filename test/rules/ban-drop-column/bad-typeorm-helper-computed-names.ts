import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

// A helper the migration calls with the table and column: the operation is known, the names only at run time.
async function createDateStringUpMigration(queryRunner: QueryRunner, tableName: string, columnName: string) {
  await queryRunner.addColumn(
    tableName,
    new TableColumn({ name: `${columnName}_string`, type: 'varchar', length: '19', isNullable: true }),
  );
  await queryRunner.query(`UPDATE ${tableName} SET ${columnName}_string = ${columnName}`);
  await queryRunner.dropColumn(tableName, columnName);
  await queryRunner.renameColumn(tableName, `${columnName}_string`, columnName);
}

export class PatientDateOfDeathString1700000000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await createDateStringUpMigration(queryRunner, 'patient', 'date_of_death');
  }

  async down(): Promise<void> {}
}
