/**
 * `promise`, or a rejection with `Error(message)` once `ms` have passed without it settling. For
 * calls with no timeout of their own (BullMQ's queue.add waits for Redis as long as it takes).
 * The timer is cleared either way, so it never holds the process open.
 */
export async function withDeadline<T>(
  promise: Promise<T>,
  ms: number,
  message: string,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
