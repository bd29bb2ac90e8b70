import type { BandwidthAnswer, VerifyAnswer, VerifyCode } from './generated/verify-wire';

/**
 * What the SDK answers about a key. The REST contract of `POST /v1/keys/verify` is written once,
 * in schema/src/verify-wire.ts; `generated/verify-wire.ts` is its copy (sdk/scripts/copy-wire.mjs).
 */
export { VERIFY_CODE_HTTP_STATUS, type Environment, type RateLimitSummary, type VerifyCode, type VerifyParams } from './generated/verify-wire';

/** The SDK's own outcomes: Latchkey could not be asked (see `failMode`); no key in the request. */
export type SdkCode = 'UNAVAILABLE' | 'UNAUTHENTICATED';

/** Byte rates and daily quota of a key, from the verify answer's `bandwidth`. */
export type BandwidthLimits = BandwidthAnswer;

export interface Verification extends Omit<VerifyAnswer, 'code'> {
  code: VerifyCode | SdkCode;
  /** True when this answer came from the local cache. */
  cached?: boolean;
  /** `failMode: 'open'` let the request through although Latchkey could not be asked. */
  failedOpen?: boolean;
}
