// The table name comes from the code: whether it carries a schema is not in the SQL.
module.exports = {
  async up(queryInterface) {
    for (const tableName of ['documents', 'collections']) {
      await queryInterface.sequelize.query(`ALTER TABLE "${tableName}" DROP CONSTRAINT "${tableName}_userId_fkey"`);
    }
  },
};
