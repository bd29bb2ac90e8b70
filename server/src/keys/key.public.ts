/** What other workspaces (jobs, test) may use of the keys domain. */
export { KeyService } from './key.service';
export { SUBTYPE_DEFAULTS, subtypeDefaults, lifetimeBounds, CLAIM_WINDOW_MS, MAX_GRACE_PERIOD_SECONDS, type SubtypeDefaults } from './key-defaults';
export { rewrapAll, type RewrapReport } from './rewrap';
export { keySnapshot, type KeyEventMessage } from './key-events';
export type { IssuedKey } from './key-create';
export type { RotatedKey } from './key-rotate';
export type { KeyPage } from './key-queries';
export type { KeyRequestDoc, KeyRequestStatus, KeySpec } from '../requests/request.model';
