import { MigrationInterface, QueryRunner } from 'typeorm';

// up and down run as separate transactions: neither mixes.
export class SplitUpDown1700000000002 implements MigrationInterface {
  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "plans" ADD COLUMN "tier" text`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE "plans" SET "tier" = NULL`);
  }
}
