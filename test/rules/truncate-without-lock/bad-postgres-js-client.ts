// No lock and no transaction: the pooled `client` truncates and reloads in separate transactions.
import postgres from 'postgres';

const client = postgres(process.env.DATABASE_URL!, { max: 10 });

export async function resetDemoData(): Promise<void> {
  await client`TRUNCATE demo_bookings`;
  await client`INSERT INTO demo_bookings SELECT * FROM demo_booking_templates`;
}
