// The public surface of @latchkey/sdk. Nothing here imports server code: management
// types are generated from the emitted schema (src/generated), the verify route's shapes
// are a generated copy of schema/src/verify-wire.ts (see verification.ts), usage reports
// are in usage-reporter.ts.
export { Latchkey, type LatchkeyOptions } from './client';
export { LatchkeyError, isLatchkeyError } from './errors';
export { VerifyClient, type FailMode, type VerifyCacheOptions } from './verify-client';
export { VerifyCache } from './verify-cache';
export {
  VERIFY_CODE_HTTP_STATUS,
  type BandwidthLimits,
  type Environment,
  type RateLimitSummary,
  type SdkCode,
  type Verification,
  type VerifyCode,
  type VerifyParams,
} from './verification';
export { UsageReporter, type UsageReport, type UsageReporterOptions, type UsageReporterStats } from './usage-reporter';
export { type Subscription, type SubscriptionHandlers } from './subscriptions';
export { type Operation } from './graphql-transport';
export { verifyWebhook, type HeaderBag, type VerifyWebhookOptions, type WebhookEvent } from './webhooks';
export { latchkeyExpress, latchkeyOf, type ExpressLikeRequest, type LatchkeyExpressOptions } from './middleware/express';
export { latchkeyFastify, latchkeyFastifyPlugin, type FastifyLikeReply, type FastifyLikeRequest, type LatchkeyFastifyOptions } from './middleware/fastify';
export { withLatchkey, type LatchkeyNextOptions, type LatchkeyRouteHandler } from './middleware/next';
export { guard, readKey, type GuardClient, type GuardDecision, type GuardOptions } from './middleware/guard';
export { rateLimitHeaders } from './middleware/headers';
export { problemOf, statusFor, PROBLEM_CONTENT_TYPE, type Problem } from './middleware/problem';
export { TokenBucket } from './throttle/token-bucket';
export { BandwidthRegistry, KeyBandwidth } from './throttle/bandwidth';
export { meterResponse } from './throttle/node-response';
export { meterRequest } from './throttle/node-request';
export { meterWebStream } from './throttle/web-stream';
export * as gql from './generated/graphql';
