// SELECT pg_advisory_lock(1) in a comment never runs.
exports.up = async function (knex) {
  const note = 'SELECT pg_advisory_lock(2)';
  console.log(note);
  await knex.transaction(async (trx) => {
    await trx.raw('SELECT pg_advisory_xact_lock(4242)');
    await trx.raw('TRUNCATE demo_bookings');
  });
  await knex.raw(`
    CREATE OR REPLACE FUNCTION take_lock() RETURNS void AS $$
    BEGIN
      PERFORM pg_advisory_lock(3);
    END $$ LANGUAGE plpgsql`);
};

exports.down = async function () {};
