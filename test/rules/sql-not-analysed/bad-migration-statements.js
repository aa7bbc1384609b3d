// node-pg-migrate: the statements come from a list built at run time.
const statements = require('./generated/partitions');

exports.up = (pgm) => {
  for (const statement of statements.create) {
    pgm.sql(statement);
  }
};

exports.down = (pgm) => {
  pgm.sql(statements.drop.join(';\n'));
};
