import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

export class AddInvoiceState1700000000000 implements MigrationInterface {
  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('invoices', new TableColumn({ name: 'state', type: 'text', isNullable: true }));
    await queryRunner.query(`UPDATE "invoices" SET "state" = 'draft'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('invoices', 'state');
  }
}
