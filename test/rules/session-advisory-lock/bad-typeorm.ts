import { MigrationInterface, QueryRunner } from 'typeorm';

export class Backfill1700000000000 implements MigrationInterface {
  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SELECT pg_advisory_lock_shared(hashtext('backfill'))`);
    await queryRunner.query(`UPDATE plans SET tier = 'basic' WHERE tier IS NULL`);
    await queryRunner.query(`SELECT pg_advisory_unlock_shared(hashtext('backfill'))`);
  }

  public async down(): Promise<void> {}
}
