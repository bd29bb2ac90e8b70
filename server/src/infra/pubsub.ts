import type { Redis } from 'ioredis';
import type { Logger } from './logger';

type Listener = (payload: unknown) => void;

/**
 * Cross-node pub/sub over Redis. One subscriber connection per process fans messages
 * out to in-process listeners; publishing goes through the command connection.
 * Channels are namespaced by the configured Redis prefix so test files stay apart.
 */
export class RedisPubSub {
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(
    private readonly pub: Redis,
    private readonly sub: Redis,
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {
    sub.on('message', (channel: string, message: string) => {
      const topic = channel.slice(this.prefix.length + 1);
      const set = this.listeners.get(topic);
      if (!set) return;
      let payload: unknown;
      try {
        payload = JSON.parse(message);
      } catch {
        this.logger.warn({ channel }, 'dropping non-JSON pub/sub message');
        return;
      }
      for (const l of set) l(payload);
    });
  }

  private channel(topic: string): string {
    return `${this.prefix}:${topic}`;
  }

  async publish(topic: string, payload: unknown): Promise<void> {
    await this.pub.publish(this.channel(topic), JSON.stringify(payload));
  }

  /** Returns an unsubscribe function. */
  async subscribe(topic: string, listener: Listener): Promise<() => Promise<void>> {
    let set = this.listeners.get(topic);
    if (!set) {
      set = new Set();
      this.listeners.set(topic, set);
      await this.sub.subscribe(this.channel(topic));
    }
    set.add(listener);
    return async () => {
      const s = this.listeners.get(topic);
      if (!s) return;
      s.delete(listener);
      if (s.size === 0) {
        this.listeners.delete(topic);
        await this.sub.unsubscribe(this.channel(topic)).catch(() => undefined);
      }
    };
  }

  /** An async iterator over one topic, for GraphQL subscriptions. */
  iterate<T>(topic: string, filter: (p: T) => boolean = () => true): AsyncIterableIterator<T> {
    const queue: T[] = [];
    const waiters: ((r: IteratorResult<T>) => void)[] = [];
    let done = false;
    let unsubscribe: (() => Promise<void>) | undefined;
    const MAX_QUEUED = 1_000;
    const ready = this.subscribe(topic, (p) => {
      const payload = p as T;
      if (done || !filter(payload)) return;
      const w = waiters.shift();
      if (w) w({ value: payload, done: false });
      else if (queue.length < MAX_QUEUED) queue.push(payload);
    }).then((u) => {
      unsubscribe = u;
    });
    const finish = async (): Promise<IteratorResult<T>> => {
      done = true;
      await ready;
      await unsubscribe?.();
      for (const w of waiters.splice(0)) w({ value: undefined, done: true });
      return { value: undefined, done: true };
    };
    const it: AsyncIterableIterator<T> = {
      next: async () => {
        await ready;
        if (queue.length) return { value: queue.shift() as T, done: false };
        if (done) return { value: undefined, done: true };
        return new Promise((resolve) => waiters.push(resolve));
      },
      return: finish,
      throw: async (e?: unknown) => {
        await finish();
        throw e;
      },
      [Symbol.asyncIterator]() {
        return it;
      },
    };
    return it;
  }
}
