/**
 * A small concurrency limiter: at most `limit` tasks run at once, the rest wait in FIFO order.
 * The crawler keeps one per account and service so a big account cannot starve the others and
 * no single service sees a burst (AWS throttles per account, per region and per API).
 */
export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

export function createLimiter(limit: number): Limiter {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`limit must be a positive integer, got \`${limit}\``);
  }
  let running = 0;
  const waiting: (() => void)[] = [];
  const acquire = (): Promise<void> => {
    if (running < limit) {
      running++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => waiting.push(resolve));
  };
  const release = (): void => {
    const next = waiting.shift();
    // hand the slot straight to the next waiter so a newcomer cannot overtake it
    if (next) next();
    else running--;
  };
  return async <T>(task: () => Promise<T>): Promise<T> => {
    await acquire();
    try {
      return await task();
    } finally {
      release();
    }
  };
}
