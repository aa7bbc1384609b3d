exports.up = (pgm) => {
  pgm.sql('TRUNCATE audit.events');
  pgm.dropColumns({ schema: 'logs', name: 'changes' }, ['ip_address']);
  pgm.alterColumn('audit_log', 'payload', { type: 'jsonb', using: 'payload::jsonb' });
  pgm.alterColumn('audit_log', 'actor', { notNull: true });
};

exports.down = (pgm) => {
  pgm.dropTable('audit_log');
};
