import { DataTypes, QueryInterface } from 'sequelize';

// Tamanu's own DataTypes.DATETIMESTRING, restated to make the column NOT NULL: it is the column's type already, and
// the lint cannot know it — so it does not say the type may change.
export async function up(query: QueryInterface): Promise<void> {
  await query.changeColumn('pharmacy_orders', 'date', {
    type: DataTypes.DATETIMESTRING,
    allowNull: false,
  });
}
