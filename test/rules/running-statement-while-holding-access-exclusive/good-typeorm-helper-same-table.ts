import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

// `tableObject` is `tableName`'s table, looked up at run time: the drop waits for no lock the addColumn did not
// already take, whatever the two names are.
async function addLegacyColumn(queryRunner: QueryRunner, tableName: string, columnName: string) {
  const tableObject = await queryRunner.getTable(tableName);
  await queryRunner.addColumn(
    tableObject,
    new TableColumn({ name: `${columnName}_legacy`, type: 'date', isNullable: true }),
  );
  await queryRunner.dropColumn(tableName, columnName);
}

export class PatientDateTimeColumns1661717539000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await addLegacyColumn(queryRunner, 'patient', 'date_of_birth');
  }

  async down(): Promise<void> {}
}
