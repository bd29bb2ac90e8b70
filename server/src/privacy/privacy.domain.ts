import type { ErasureDeps } from './user-erasure';
import { UserErasure } from './user-erasure';
import { PrivacyService } from './privacy.service';

/** Builds `services.privacy` (export and erasure of personal data). */
export function createPrivacyService(d: ErasureDeps): PrivacyService {
  return new PrivacyService({ conn: d.conn, audit: d.audit, erasure: new UserErasure(d) });
}
