import type { AppServices } from './app-services';

/**
 * Tasks run once MongoDB is reachable: first-start seeding (organization and owner)
 * and anything else that must exist before the node is useful. Domains register
 * their tasks here.
 */
export type BootTask = (services: AppServices) => Promise<void>;

export const bootTasks: BootTask[] = [(s) => s.seedFirstOrganization()];

export async function onBoot(services: AppServices): Promise<void> {
  for (const task of bootTasks) await task(services);
}
