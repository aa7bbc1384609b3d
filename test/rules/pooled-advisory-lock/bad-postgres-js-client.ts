// A seed script that names its postgres-js instance `client`: the tag is a pool whatever it is called.
import postgres from 'postgres';

const client = postgres(process.env.DATABASE_URL!, { max: 10 });

export async function seedDemoData(): Promise<void> {
  await client`SELECT pg_advisory_lock(${4242})`;
  try {
    await client`TRUNCATE demo_bookings`;
  } finally {
    await client`SELECT pg_advisory_unlock(${4242})`;
  }
}
