import * as G from './generated/graphql';
import type { GraphQLTransport } from './graphql-transport';

/**
 * Typed management calls, one thin method per generated operation: the shapes are the
 * schema's, so a schema change shows up as a type error here rather than at run time.
 */
export function keysApi(t: GraphQLTransport) {
  return {
    list: async (v: G.ListApiKeysQueryVariables = {}) => (await t.request(G.ListApiKeysDocument, v)).apiKeys,
    get: async (id: string) => (await t.request(G.GetApiKeyDocument, { id })).apiKey,
    create: async (input: G.CreateApiKeyInput, idempotencyKey?: string) => (await t.request(G.CreateApiKeyDocument, { input, idempotencyKey })).createApiKey,
    /** Up to 1,000 keys per call, generated or existing values; one result per item (docs/KEY-IMPORT.md). */
    import: async (keys: G.ImportApiKeyInput[], idempotencyKey?: string) => (await t.request(G.ImportApiKeysDocument, { input: { keys }, idempotencyKey })).importApiKeys,
    request: async (input: G.RequestApiKeyInput, idempotencyKey?: string) => (await t.request(G.RequestApiKeyDocument, { input, idempotencyKey })).requestApiKey,
    approve: async (requestId: string, comment?: string) => (await t.request(G.ApproveKeyRequestDocument, { id: requestId, comment })).approveKeyRequest,
    reject: async (requestId: string, reason: string) => (await t.request(G.RejectKeyRequestDocument, { id: requestId, reason })).rejectKeyRequest,
    claim: async (requestId: string) => (await t.request(G.ClaimApiKeyDocument, { requestId })).claimApiKey,
    rotate: async (id: string, opts: { gracePeriodSeconds?: number; idempotencyKey?: string } = {}) => (await t.request(G.RotateApiKeyDocument, { id, ...opts })).rotateApiKey,
    revoke: async (id: string, reason?: string) => (await t.request(G.RevokeApiKeyDocument, { id, reason })).revokeApiKey,
    suspend: async (id: string, reason?: string) => (await t.request(G.SuspendApiKeyDocument, { id, reason })).suspendApiKey,
    reactivate: async (id: string) => (await t.request(G.ReactivateApiKeyDocument, { id })).reactivateApiKey,
    renew: async (id: string, expiresAt: string | Date) => (await t.request(G.RenewApiKeyDocument, { id, expiresAt: new Date(expiresAt).toISOString() })).renewApiKey,
    update: async (id: string, input: G.UpdateApiKeyInput) => (await t.request(G.UpdateApiKeyDocument, { id, input })).updateApiKey,
    rateLimitStatus: async (keyId: string) => (await t.request(G.RateLimitStatusDocument, { keyId })).rateLimitStatus,
  };
}

export function requestsApi(t: GraphQLTransport) {
  return {
    list: async (v: G.ListKeyRequestsQueryVariables = {}) => (await t.request(G.ListKeyRequestsDocument, v)).keyRequests,
    get: async (id: string) => (await t.request(G.GetKeyRequestDocument, { id })).keyRequest,
  };
}

export function usersApi(t: GraphQLTransport) {
  return {
    list: async (v: G.ListUsersQueryVariables = {}) => (await t.request(G.ListUsersDocument, v)).users,
    get: async (id: string) => (await t.request(G.GetUserDocument, { id })).user,
    create: async (input: G.CreateUserInput) => (await t.request(G.CreateUserDocument, { input })).createUser,
    me: async () => (await t.request(G.MeDocument, {})).me,
  };
}

export function rolesApi(t: GraphQLTransport) {
  return {
    list: async (v: G.ListRolesQueryVariables = {}) => (await t.request(G.ListRolesDocument, v)).roles,
    create: async (input: G.CreateRoleInput) => (await t.request(G.CreateRoleDocument, { input })).createRole,
    update: async (id: string, input: G.UpdateRoleInput) => (await t.request(G.UpdateRoleDocument, { id, input })).updateRole,
    delete: async (id: string) => (await t.request(G.DeleteRoleDocument, { id })).deleteRole,
  };
}

export function applicationsApi(t: GraphQLTransport) {
  return {
    list: async (v: G.ListApplicationsQueryVariables = {}) => (await t.request(G.ListApplicationsDocument, v)).applications,
    create: async (input: G.CreateApplicationInput) => (await t.request(G.CreateApplicationDocument, { input })).createApplication,
  };
}

export function auditApi(t: GraphQLTransport) {
  return {
    list: async (v: Partial<G.ListAuditEventsQueryVariables> = {}) => (await t.request(G.ListAuditEventsDocument, { first: 50, ...v })).auditEvents,
    verifyChain: async () => (await t.request(G.VerifyAuditChainDocument, {})).verifyAuditChain,
  };
}

export function webhooksApi(t: GraphQLTransport) {
  return {
    list: async () => (await t.request(G.ListWebhookEndpointsDocument, {})).webhookEndpoints,
    create: async (input: G.CreateWebhookEndpointInput) => (await t.request(G.CreateWebhookEndpointDocument, { input })).createWebhookEndpoint,
    rotateSecret: async (id: string, overlapSeconds?: number) => (await t.request(G.RotateWebhookSecretDocument, { id, overlapSeconds })).rotateWebhookSecret,
    delete: async (id: string) => (await t.request(G.DeleteWebhookEndpointDocument, { id })).deleteWebhookEndpoint,
    sendTest: async (id: string) => (await t.request(G.SendTestWebhookDocument, { id })).sendTestWebhook,
    replay: async (deliveryId: string) => (await t.request(G.ReplayWebhookDeliveryDocument, { id: deliveryId })).replayWebhookDelivery,
    deliveries: async (v: G.ListWebhookDeliveriesQueryVariables = {}) => (await t.request(G.ListWebhookDeliveriesDocument, v)).webhookDeliveries,
  };
}

export type KeysApi = ReturnType<typeof keysApi>;
export type RequestsApi = ReturnType<typeof requestsApi>;
export type UsersApi = ReturnType<typeof usersApi>;
export type RolesApi = ReturnType<typeof rolesApi>;
export type ApplicationsApi = ReturnType<typeof applicationsApi>;
export type AuditApi = ReturnType<typeof auditApi>;
export type WebhooksApi = ReturnType<typeof webhooksApi>;

type When = string | Date;
const iso = (d: When) => new Date(d).toISOString();

export function usageApi(t: GraphQLTransport) {
  return {
    /** One key's usage per MINUTE, HOUR or DAY bucket (analytics fold reported usage about once a minute). */
    byKey: async (keyId: string, from: When, to: When, granularity: G.UsageGranularity = 'HOUR') =>
      (await t.request(G.UsageDocument, { keyId, from: iso(from), to: iso(to), granularity })).usage,
    summary: async (from: When, to: When, scope: { keyId?: string; applicationId?: string; ownerId?: string } = {}) =>
      (await t.request(G.UsageSummaryDocument, { from: iso(from), to: iso(to), ...scope })).usageSummary,
  };
}

export function alertsApi(t: GraphQLTransport) {
  return {
    list: async (v: G.ListAlertsQueryVariables = {}) => (await t.request(G.ListAlertsDocument, v)).alerts,
    acknowledge: async (id: string) => (await t.request(G.AcknowledgeAlertDocument, { id })).acknowledgeAlert,
    resolve: async (id: string) => (await t.request(G.ResolveAlertDocument, { id })).resolveAlert,
  };
}

export type UsageApi = ReturnType<typeof usageApi>;
export type AlertsApi = ReturnType<typeof alertsApi>;
