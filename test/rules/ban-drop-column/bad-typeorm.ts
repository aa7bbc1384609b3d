import { MigrationInterface, QueryRunner } from 'typeorm';

export class DropFax1700000000000 implements MigrationInterface {
  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('users', 'fax');
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "pager"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD "pager" text`);
  }
}
