import { z } from 'zod';
import { Environment } from '@latchkey/schema';
import { AppError } from '../infra/app-error';
import type { VerifyRequest } from '@latchkey/schema';

const name = z.string().min(1).max(64).regex(/^[a-z][a-z0-9_-]*$/, 'lowercase letters, digits, _ and - only');

/** Body of POST /v1/keys/verify and input of `verifyApiKey`. Only `key` is required. */
export const VerifyRequestSchema = z
  .object({
    key: z.string().max(4096, 'must be at most 4096 characters'),
    resource: name.optional(),
    action: name.optional(),
    resourceId: z.string().min(1).max(128).regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits, _ . : - only').optional(),
    ip: z.union([z.ipv4(), z.ipv6()], { error: 'must be an IPv4 or IPv6 address' }).optional(),
    referrer: z.string().max(2048).optional(),
    environment: z.enum([Environment.development, Environment.staging, Environment.production]).optional(),
    country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code').optional(),
    cost: z.number().int().min(0).max(1_000_000).optional(),
    costs: z
      .record(z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'unknown dimension name'), z.number().min(0).max(1e12).refine(Number.isFinite, 'must be finite'))
      .refine((o) => Object.keys(o).length <= 32, 'at most 32 dimensions')
      .optional(),
    bytesIn: z.number().int().min(0).max(1e13).optional(),
    bytesOut: z.number().int().min(0).max(1e13).optional(),
    acquireLease: z.boolean().optional(),
  })
  .strict()
  .refine((v) => (v.resource === undefined) === (v.action === undefined), { message: 'give resource and action together', path: ['action'] });

export function parseVerifyRequest(body: unknown): VerifyRequest {
  const r = VerifyRequestSchema.safeParse(body);
  if (r.success) return r.data as VerifyRequest;
  throw AppError.badInput(
    'invalid verify request',
    r.error.issues.map((i) => ({ path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)), message: i.message })),
  );
}
