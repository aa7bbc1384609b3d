import { MigrationInterface, QueryRunner } from 'typeorm';

export class RenameCustomers1700000000001 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.renameTable('customers', 'accounts');
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.renameTable('accounts', 'customers');
  }
}
