exports.up = (pgm) => {
  pgm.noTransaction();
  pgm.addColumn('visits', { billed: { type: 'boolean' } });
  pgm.sql('UPDATE visits SET billed = false');
};
