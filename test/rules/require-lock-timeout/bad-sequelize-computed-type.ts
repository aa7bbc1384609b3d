import { DataTypes, QueryInterface } from 'sequelize';

// The project's own data type (Tamanu adds DATETIMESTRING to Sequelize's DataTypes at run time): whatever type it is,
// adding the column takes ACCESS EXCLUSIVE on user_leaves.
export async function up(query: QueryInterface): Promise<void> {
  await query.addColumn('user_leaves', 'scheduled_at', {
    type: DataTypes.DATETIMESTRING,
    allowNull: true,
  });
}

export async function down(query: QueryInterface): Promise<void> {
  await query.removeColumn('user_leaves', 'scheduled_at');
}
