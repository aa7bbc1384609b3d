import { DataTypes, QueryInterface } from 'sequelize';

// The same column of the project's own data type, after a lock_timeout: a busy table fails the migration instead.
export async function up(query: QueryInterface): Promise<void> {
  await query.sequelize.query(`SET LOCAL lock_timeout = '5s'`);
  await query.addColumn('user_leaves', 'scheduled_at', {
    type: DataTypes.DATETIMESTRING,
    allowNull: true,
  });
}
