import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';

export class Reseed1700000000000 implements MigrationInterface {
  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('SELECT pg_advisory_lock(5)');
    await queryRunner.query('SELECT pg_advisory_unlock(5)');
  }

  public async down(): Promise<void> {}
}

export async function reseed(dataSource: DataSource): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(6)');
  } finally {
    await runner.query('SELECT pg_advisory_unlock(6)');
    await runner.release();
  }
}
