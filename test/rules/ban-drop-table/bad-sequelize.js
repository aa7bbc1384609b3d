module.exports = {
  up: async (queryInterface) => {
    await queryInterface.dropTable('Invoices');
  },
  down: async () => {},
};
