// A table named by a value only the running code knows: no audit-table pattern can say which table it is, so the
// rule does not guess from the expression's spelling.
module.exports = {
  async up(queryInterface) {
    const { auditLogTable } = await loadSettings(queryInterface);
    await queryInterface.removeColumn(auditLogTable, 'legacy_reason');
  },
};
