import type { AuditActorType, AuditEventFilter } from '@/gql/graphql';
import { firstParam, pick } from './key-options';

export const ACTOR_TYPES = ['USER', 'KEY', 'SYSTEM'] as const satisfies readonly AuditActorType[];

export interface AuditParams {
  action?: string;
  actorType?: AuditActorType;
  actorId?: string;
  targetType?: string;
  targetId?: string;
  from?: string;
  to?: string;
}

type Search = Record<string, string | string[] | undefined> | URLSearchParams;

function get(sp: Search, name: string): string | undefined {
  return sp instanceof URLSearchParams ? (sp.get(name) ?? undefined) : firstParam(sp[name]);
}

/** One parser for the page and the export route, so an export is exactly what is on screen. */
export function parseAuditParams(sp: Search): AuditParams {
  const date = (v?: string) => (v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : undefined);
  return {
    action: get(sp, 'action'),
    actorType: pick(ACTOR_TYPES, get(sp, 'actorType')),
    actorId: get(sp, 'actorId'),
    targetType: get(sp, 'targetType'),
    targetId: get(sp, 'targetId'),
    from: date(get(sp, 'from')),
    to: date(get(sp, 'to')),
  };
}

export function auditFilter(p: AuditParams): AuditEventFilter {
  return {
    action: p.action,
    actorType: p.actorType,
    actorId: p.actorId,
    targetType: p.targetType,
    targetId: p.targetId,
    from: p.from ? `${p.from}T00:00:00.000Z` : undefined,
    // "To" a day includes that whole day (the API's bound is exclusive).
    to: p.to ? new Date(Date.parse(`${p.to}T00:00:00.000Z`) + 86_400_000).toISOString() : undefined,
  };
}
