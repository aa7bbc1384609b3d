import { DataTypes, QueryInterface } from 'sequelize';

// Two restated columns of the project's own type: whether either changes the type (and rewrites the table under the
// first one's lock) cannot be known, so nothing is said of a rewrite.
export async function up(query: QueryInterface): Promise<void> {
  await query.changeColumn('pharmacy_orders', 'date', { type: DataTypes.DATETIMESTRING, allowNull: true });
  await query.changeColumn('pharmacy_orders', 'dispensed_at', { type: DataTypes.DATETIMESTRING, allowNull: true });
}
