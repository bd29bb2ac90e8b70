import type { Principal } from '../access/principal';
import type { ApiKeyDoc } from '../keys/key.model';
import { ScheduledRotations, type RotationDeps } from './scheduled-rotations';
import { RotationClaims, type RotationClaimDeps } from './rotation-claim';
import { reportStillUsed, type RotationUsageDeps } from './rotation-usage';

export interface RotationRunResult {
  /** Old keys reported as still in use near the end of their overlap. */
  stillUsed: number;
  /** Successors issued by scheduled rotations. */
  rotated: number;
  recovered: number;
  claimsDropped: number;
}

/**
 * The rotation domain behind one facade (`services.rotation`): what the rotation job
 * runs every ROTATION_SCAN_EVERY_MS and the claim of a scheduled successor's secret.
 */
export class RotationService {
  private readonly scheduled: ScheduledRotations;
  private readonly claims: RotationClaims;

  constructor(private readonly deps: RotationDeps & RotationClaimDeps & RotationUsageDeps) {
    this.scheduled = new ScheduledRotations(deps);
    this.claims = new RotationClaims(deps);
  }

  /**
   * One pass: report old keys still used near the end of their overlap, rotate keys
   * that are due (finishing runs a crashed worker left), drop unclaimed secrets past
   * their window. Every step is idempotent under reruns. Ending overlaps is
   * `KeyService.finishDueRotations` (its own job on the same queue).
   */
  async run(now = new Date()): Promise<RotationRunResult> {
    const stillUsed = (await reportStillUsed(this.deps, now)).length;
    const { rotated, recovered } = await this.scheduled.rotateDue(now);
    // Claim windows are wall-clock time, whatever `now` the scan was asked to look at.
    const claimsDropped = await this.claims.dropExpiredClaims(new Date());
    return { stillUsed, rotated: rotated.length, recovered, claimsDropped };
  }

  claimRotatedKey(principal: Principal, keyId: string): Promise<{ key: ApiKeyDoc; secret: string }> {
    return this.claims.claim(principal, keyId);
  }
}
