exports.up = (pgm) => {
  pgm.alterColumn('events', 'account_id', { type: 'bigint' });
  pgm.alterColumn('events', 'note', { notNull: false });
};
