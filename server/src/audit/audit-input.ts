/**
 * What a service hands the audit trail for one state change. Secrets never go in
 * `before`/`after` (hashes, ciphertexts, passwords, tokens are stripped by the caller
 * and again by the audit service).
 */
export interface AuditActor {
  type: 'user' | 'key' | 'system';
  /** usr_…, key_…, or a system component name such as `jobs:expiry`. */
  id: string;
}

export interface AuditTarget {
  /** Entity kind: `key`, `user`, `role`, `application`, `organization`, `policy`, `webhook`, … */
  type: string;
  id: string;
}

export interface AuditMeta {
  requestId?: string;
  ip?: string;
  userAgent?: string;
}

export interface AuditInput {
  orgId: string;
  actor: AuditActor;
  /** Dotted verb, e.g. `key.created`, `role.updated`, `user.login_failed`. */
  action: string;
  target: AuditTarget;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  meta?: AuditMeta;
}

/**
 * The audit trail as the domains see it (`AuditService` implements it): every state
 * change is appended in the same service call as the change.
 */
export interface AuditSink {
  append(input: AuditInput): Promise<unknown>;
}
