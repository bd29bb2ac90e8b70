import type { AppServices } from './app-services';
import { backfillKeyHashIndex } from '../keys/key-hash-index';
import { backfillAuditIdCopies } from '../audit/audit-id-copies';

/**
 * Tasks run once MongoDB is reachable: first-start seeding (organization and owner)
 * and anything else that must exist before the node is useful. Domains register
 * their tasks here.
 */
export type BootTask = (services: AppServices) => Promise<void>;

export const bootTasks: BootTask[] = [
  (s) => s.seedFirstOrganization(),
  // Keys stored before the verify path's hash index existed (once per database).
  async (s) => {
    const added = await backfillKeyHashIndex(s.mongo.conn);
    if (added > 0) s.logger.info({ added }, 'api_key_hashes: indexed keys stored before the index existed');
  },
  // Audit events stored before their top-level actorId / targetId copies (once per database).
  async (s) => {
    const updated = await backfillAuditIdCopies(s.mongo.conn);
    if (updated > 0) s.logger.info({ updated }, 'audit_events: actorId / targetId copied onto events stored before them');
  },
];

export async function onBoot(services: AppServices): Promise<void> {
  for (const task of bootTasks) await task(services);
}
