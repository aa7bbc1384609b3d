exports.up = async (knex) => {
  await knex.raw(`
    DELETE FROM logs.changes
    WHERE id = 1`);
};
