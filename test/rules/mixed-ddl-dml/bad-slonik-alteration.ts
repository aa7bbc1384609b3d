import { sql } from 'slonik';

const alteration = {
  up: async (pool) => {
    await pool.query(sql`alter table users add column logto_config jsonb`);
    await pool.query(sql`update users set logto_config = '{}'::jsonb`);
  },
  down: async (pool) => {
    await pool.query(sql`alter table users drop column logto_config`);
  },
};

export default alteration;
