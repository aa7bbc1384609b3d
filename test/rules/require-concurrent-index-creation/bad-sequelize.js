module.exports = {
  async up(queryInterface) {
    await queryInterface.addIndex('Orders', ['customerId']);
    await queryInterface.addIndex('Orders', ['number'], { unique: true, concurrently: true });
  },
};
