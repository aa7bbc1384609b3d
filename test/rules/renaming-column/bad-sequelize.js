module.exports = {
  async up(queryInterface) {
    await queryInterface.renameColumn('Users', 'email', 'emailAddress');
  },
  async down(queryInterface) {
    await queryInterface.renameColumn('Users', 'emailAddress', 'email');
  },
};
