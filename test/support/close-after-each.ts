import { afterEach } from 'vitest';

/**
 * Call at the top level of a spec: returns `later`, and everything handed to it (apps, servers,
 * sockets) is closed after each case, all together.
 */
export function closeAfterEach(): (close: () => Promise<unknown>) => void {
  const closing: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    await Promise.all(closing.splice(0).map((close) => close()));
  });
  return (close) => {
    closing.push(close);
  };
}
