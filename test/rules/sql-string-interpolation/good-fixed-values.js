// Values the file fixes, bind parameters and escaped names are fine.
const tableName = 'attachments';
const constraintNames = ['attachments_documentId_fkey', 'attachments_foreign_idx'];
const COLUMNS = { created: 'createdAt', updated: 'updatedAt' };
const BATCH = 500;

module.exports = {
  async up(queryInterface) {
    for (const constraintName of constraintNames) {
      await queryInterface.sequelize.query(`alter table "${tableName}" drop constraint "${constraintName}"`);
    }
    await queryInterface.sequelize.query(`UPDATE "${tableName}" SET "${COLUMNS.updated}" = now() WHERE id IN (SELECT id FROM "${tableName}" LIMIT ${BATCH})`);
    const direction = process.env.DESC ? 'DESC' : 'ASC';
    await queryInterface.sequelize.query(`SELECT id FROM documents ORDER BY id ${direction}`);
  },
  async down(queryInterface) {
    const client = queryInterface.sequelize;
    await client.query(`DROP TABLE ${client.escapeIdentifier(process.env.TABLE)}`);
  },
};
