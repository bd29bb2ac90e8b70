import type { KeyStatus } from '@latchkey/schema';
import { AppError } from '../infra/app-error';

/**
 * The key state machine in one place (ARCHITECTURE §3). `pending_approval` lives on the
 * request; a key document is born `approved` (unclaimed) or `active`.
 */
export type KeyTransition = 'claim' | 'suspend' | 'reactivate' | 'rotate' | 'finish_rotation' | 'revoke' | 'expire' | 'renew' | 'update';

const ALLOWED: Record<KeyTransition, readonly KeyStatus[]> = {
  claim: ['approved'],
  suspend: ['active', 'rotating'],
  reactivate: ['suspended'],
  rotate: ['active'],
  finish_rotation: ['rotating'],
  revoke: ['approved', 'active', 'suspended', 'rotating', 'expired'],
  expire: ['active', 'suspended', 'rotating'],
  renew: ['active', 'suspended', 'expired'],
  update: ['approved', 'active', 'suspended', 'rotating'],
};

const TARGET: Partial<Record<KeyTransition, KeyStatus>> = {
  claim: 'active',
  suspend: 'suspended',
  reactivate: 'active',
  rotate: 'rotating',
  finish_rotation: 'revoked',
  revoke: 'revoked',
  expire: 'expired',
};

/** Throws INVALID_STATE naming the current state when the transition is illegal. */
export function assertTransition(current: KeyStatus, t: KeyTransition): void {
  if (!ALLOWED[t].includes(current)) {
    throw AppError.invalidState(`cannot ${t.replace('_', ' ')} a key that is ${current}`, { currentStatus: current });
  }
}

/** The status after a transition (unchanged for renew/update, except renew of an expired key). */
export function nextStatus(current: KeyStatus, t: KeyTransition): KeyStatus {
  assertTransition(current, t);
  if (t === 'renew') return current === 'expired' ? 'active' : current;
  return TARGET[t] ?? current;
}

export function canTransition(current: KeyStatus, t: KeyTransition): boolean {
  return ALLOWED[t].includes(current);
}
