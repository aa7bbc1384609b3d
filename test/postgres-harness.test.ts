import * as assert from 'assert';
import { connect, freshDatabase } from './support/postgres';

describe('test PostgreSQL harness', () => {
  it('starts a real PostgreSQL server and gives each test its own database', async () => {
    const first = await freshDatabase();
    const second = await freshDatabase();
    assert.notStrictEqual(first.database, second.database);
    const client = await connect(first);
    try {
      const { rows } = await client.query('SHOW server_version_num');
      assert.ok(Number(rows[0].server_version_num) >= 150000);
    } finally {
      await client.end();
    }
  });
});
