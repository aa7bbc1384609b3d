'use strict';

module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.sequelize.query(
      'DELETE FROM logs.changes WHERE record_id IN (SELECT duplicate_id FROM duplicate_links)',
    );
    await queryInterface.bulkUpdate('AuditLogs', { actor: 'system' }, { actor: null });
    await queryInterface.bulkDelete({ tableName: 'changes', schema: 'logs' }, { record_type: 'link' });
    await queryInterface.removeColumn('audit_events', 'ip_address');
    await queryInterface.changeColumn('audit_events', 'payload', { type: Sequelize.JSONB });
    // Inserting is how an audit log records a correction.
    await queryInterface.bulkInsert('AuditLogs', [{ actor: 'system', reason: 'backfill' }]);
  },
  async down(queryInterface) {
    await queryInterface.dropTable('AuditLogs');
  },
};
