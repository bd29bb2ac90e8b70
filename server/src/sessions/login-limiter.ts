import { ErrorCode } from '@latchkey/schema';
import type { Redis } from 'ioredis';
import type { Config } from '../infra/config';
import { AppError } from '../infra/app-error';
import { hmacHex } from '../infra/crypto';

/**
 * Fixed-window counters of failed sign-ins per email and per client IP (Redis
 * SET NX EX + INCR). Only failures count, so people who know their password are
 * never locked out by their own successful sign-ins; once a window holds the maximum,
 * every attempt (even a correct one) is refused without checking the password until
 * the window ends. Without Redis sign-in fails closed.
 */
export class LoginLimiter {
  constructor(private readonly redis: Redis, private readonly config: Config) {}

  private keys(email: string, ip: string): { email: string; ip: string } {
    const p = this.config.REDIS_PREFIX;
    // The email is hashed so addresses never sit in Redis in clear.
    return { email: `${p}:login-fail:email:${hmacHex(this.config.LATCHKEY_KEY_PEPPER, email.toLowerCase())}`, ip: `${p}:login-fail:ip:${ip}` };
  }

  /** Throws RATE_LIMITED when either window is full. */
  async check(email: string, ip: string): Promise<void> {
    const k = this.keys(email, ip);
    let counts: (string | null)[];
    try {
      // Separate commands, not MGET: the two keys may live on different cluster slots.
      counts = await Promise.all([this.redis.get(k.email), this.redis.get(k.ip)]);
    } catch {
      throw AppError.unavailable('sign-in is temporarily unavailable; try again shortly');
    }
    const byEmail = Number(counts[0] ?? 0);
    const byIp = Number(counts[1] ?? 0);
    if (byEmail < this.config.LOGIN_MAX_FAILURES_PER_EMAIL && byIp < this.config.LOGIN_MAX_FAILURES_PER_IP) return;
    const ttl = await this.redis.pttl(byEmail >= this.config.LOGIN_MAX_FAILURES_PER_EMAIL ? k.email : k.ip).catch(() => -1);
    const retryAfterSeconds = ttl > 0 ? Math.ceil(ttl / 1000) : this.config.LOGIN_WINDOW_SECONDS;
    throw new AppError(ErrorCode.RATE_LIMITED, `too many failed sign-in attempts; try again in ${retryAfterSeconds} seconds`, { retryAfterSeconds });
  }

  async recordFailure(email: string, ip: string): Promise<void> {
    const k = this.keys(email, ip);
    const w = this.config.LOGIN_WINDOW_SECONDS;
    // SET NX EX before INCR: a counter always carries its expiry.
    const bump = async (key: string) => {
      await this.redis.set(key, '0', 'EX', w, 'NX');
      await this.redis.incr(key);
    };
    await Promise.all([bump(k.email), bump(k.ip)]).catch(() => undefined);
  }
}
