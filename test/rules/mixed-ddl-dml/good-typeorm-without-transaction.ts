import { MigrationInterface, QueryRunner } from 'typeorm';

export class BackfillState1700000000001 implements MigrationInterface {
  transaction = false as const;

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "invoices" ADD COLUMN "state" text`);
    await queryRunner.query(`UPDATE "invoices" SET "state" = 'draft'`);
  }

  public async down(): Promise<void> {}
}
