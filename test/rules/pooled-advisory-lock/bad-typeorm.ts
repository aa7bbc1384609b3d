import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';

const dataSource = new DataSource({ type: 'postgres', url: process.env.DATABASE_URL });

export class Reseed1700000000000 implements MigrationInterface {
  public async up(queryRunner: QueryRunner): Promise<void> {
    // The migration's QueryRunner holds one connection; the DataSource does not.
    await queryRunner.query('SELECT pg_advisory_lock(5)');
    await dataSource.query('SELECT pg_advisory_unlock(5)');
    await dataSource.query('SELECT pg_advisory_lock(6)');
  }

  public async down(): Promise<void> {}
}
