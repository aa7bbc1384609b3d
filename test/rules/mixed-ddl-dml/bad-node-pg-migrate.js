exports.up = (pgm) => {
  pgm.addColumn('visits', { billed: { type: 'boolean', notNull: false } });
  pgm.sql('UPDATE visits SET billed = false');
};

exports.down = (pgm) => {
  pgm.dropColumn('visits', 'billed');
};
