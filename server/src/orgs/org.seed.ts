import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Config } from '../infra/config';
import type { Logger } from '../infra/logger';
import { SYSTEM_ACTOR } from '../access/principal';
import type { AuditSink } from '../audit/audit-input';
import { generatePassword, passwordProblem } from '../users/password';
import type { OrgService } from './org.service';
import type { OrgProvisioning } from './org.provisioning';

export const DEFAULT_ADMIN_EMAIL = 'admin@latchkey.local';

export interface SeedDeps {
  config: Config;
  logger: Logger;
  audit: AuditSink;
  orgs: OrgService;
  provisioning: OrgProvisioning;
  /** Whether the first owner (a platform administrator) exists yet. */
  ownerExists: () => Promise<boolean>;
}

/** How long a node that lost the seeding race waits for the winner to finish. */
const OTHER_NODE_WAIT_MS = 20_000;

/** Resolves once another node's seeding produced the owner (or after a while). */
async function awaitOtherNode(d: SeedDeps): Promise<void> {
  const deadline = Date.now() + OTHER_NODE_WAIT_MS;
  while (!(await d.ownerExists())) {
    if (Date.now() > deadline) {
      d.logger.warn('the first organization exists but its owner does not (yet); continuing');
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * First start: when no organization exists, create "Default" (slug `default`, key
 * prefix `lk`) and its owner, a platform administrator, from LATCHKEY_ADMIN_EMAIL /
 * LATCHKEY_ADMIN_PASSWORD, or admin@latchkey.local with a generated password that is
 * printed once and written to LATCHKEY_ADMIN_CREDENTIALS_FILE (mode 0600). Several
 * nodes may boot at once: the unique slug lets exactly one of them seed.
 */
export async function seedFirstOrganization(d: SeedDeps): Promise<void> {
  // Another node may be seeding right now: wait for its owner, so a sign-in on this
  // node right after boot finds it.
  if (await d.orgs.anyExists()) return awaitOtherNode(d);
  const email = (d.config.LATCHKEY_ADMIN_EMAIL ?? DEFAULT_ADMIN_EMAIL).toLowerCase();
  const generated = d.config.LATCHKEY_ADMIN_PASSWORD === undefined;
  const password = d.config.LATCHKEY_ADMIN_PASSWORD ?? generatePassword();
  const weak = generated ? null : passwordProblem(password, email);
  if (weak) d.logger.warn(`LATCHKEY_ADMIN_PASSWORD ${weak}; it is accepted for the first owner, but change it after signing in`);

  const created = await d.provisioning.provision({ name: 'Default', slug: 'default', keyPrefix: 'lk', owner: { email, name: 'Owner', password }, isPlatformAdmin: true });
  if (!created) {
    d.logger.info('another node is creating the first organization');
    return awaitOtherNode(d);
  }
  const { organization, owner } = created;
  await d.audit.append({
    orgId: organization._id,
    actor: SYSTEM_ACTOR,
    action: 'organization.created',
    target: { type: 'organization', id: organization._id },
    after: { name: organization.name, slug: organization.slug, keyPrefix: organization.keyPrefix, ownerId: owner._id },
  });
  await d.audit.append({
    orgId: organization._id,
    actor: SYSTEM_ACTOR,
    action: 'user.created',
    target: { type: 'user', id: owner._id },
    after: { email: owner.email, roleIds: owner.roleIds, isPlatformAdmin: true },
  });
  d.logger.info({ orgId: organization._id, userId: owner._id }, 'first organization and owner created');
  if (!generated) return;

  const file = d.config.LATCHKEY_ADMIN_CREDENTIALS_FILE;
  const line = '='.repeat(72);
  // The password goes in the message text (not a field) so the logger's redaction of
  // `password` fields does not hide the one place it is shown.
  const alsoWritten = file ? ` (also written to ${file}, mode 0600)` : '';
  d.logger.warn(
    `\n${line}\n  FIRST START: the organization "Default" and its owner were created.\n` +
      `  email:    ${email}\n  password: ${password}\n` +
      `  This password is shown once${alsoWritten}. Sign in and change it.\n${line}`,
  );
  if (file) {
    try {
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, `email: ${email}\npassword: ${password}\n`, { mode: 0o600 });
      await chmod(file, 0o600);
    } catch (err) {
      d.logger.error({ err, file }, 'could not write the first admin credentials file');
    }
  }
}
