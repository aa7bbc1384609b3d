// One transaction through postgres-js: TRUNCATE's lock holds until the reload commits.
import postgres from 'postgres';

const client = postgres(process.env.DATABASE_URL!);

export async function resetDemoData(): Promise<void> {
  await client.begin(async (tx) => {
    await tx`TRUNCATE demo_bookings`;
    await tx`INSERT INTO demo_bookings SELECT * FROM demo_booking_templates`;
  });
}
