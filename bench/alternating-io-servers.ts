/** Nest's `IoAdapter` server and ours, as the memory readings name them. */
export type IoServerKey = 'io-plain' | 'io-origin';

const IO_SERVERS: readonly IoServerKey[] = ['io-plain', 'io-origin'];

/**
 * One reading per server and round, from a fresh server each time, the two alternating (the
 * first of a round is the other one in the next), so neither always runs on a machine the other
 * has just warmed or loaded.
 */
export async function alternatingIoServers(
  rounds: number,
  read: (server: IoServerKey) => Promise<number>,
  reported: (server: IoServerKey, round: number, value: number) => void,
): Promise<ReadonlyMap<IoServerKey, readonly number[]>> {
  const runs = new Map<IoServerKey, number[]>(IO_SERVERS.map((server) => [server, []]));
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? IO_SERVERS : IO_SERVERS.toReversed();
    for (const server of order) {
      const value = await read(server);
      runs.get(server)!.push(value);
      reported(server, round, value);
    }
  }
  return runs;
}
