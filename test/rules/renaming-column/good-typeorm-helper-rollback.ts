import { MigrationInterface, QueryRunner } from 'typeorm';

// The down migration renames back, through a helper, what its up renamed: for the release that expects the old name.
async function renameBack(queryRunner: QueryRunner, tableName: string, from: string, to: string) {
  await queryRunner.renameColumn(tableName, from, to);
}

export class PatientDeathDate1700000000002 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE patient ADD COLUMN death_date date');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await renameBack(queryRunner, 'patient', 'death_date', 'date_of_death');
  }
}
