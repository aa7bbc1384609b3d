'use strict';

// await queryInterface.bulkDelete('AuditLogs', {});  -- commented out, never runs
/* knex('logs.changes').del() */
module.exports = {
  async up(queryInterface) {
    const note = 'DELETE FROM logs.changes is forbidden; append instead';
    console.log(note, "UPDATE audit.events SET x = 1");
    await queryInterface.bulkInsert('AuditLogs', [{ actor: 'system', reason: 'duplicate link removed' }]);
    await queryInterface.sequelize.query(
      `INSERT INTO logs.changes (record_id, record_deleted_at, reason)
       SELECT duplicate_id, now(), 'duplicate link removed' FROM duplicate_links`,
    );
    // A trigger function's body runs later, on each write: it is part of a CREATE FUNCTION statement.
    await queryInterface.sequelize.query(`
      CREATE OR REPLACE FUNCTION logs.prune() RETURNS trigger AS $$
      BEGIN
        DELETE FROM logs.changes WHERE changed_at < now() - interval '1 year';
        RETURN NULL;
      END $$ LANGUAGE plpgsql`);
    await queryInterface.addColumn('AuditLogs', 'reason', { type: 'TEXT' });
    await queryInterface.bulkUpdate('users', { plan: 'free' }, { plan: null });
    await queryInterface.bulkDelete('sessions', { expired: true });
  },
};
