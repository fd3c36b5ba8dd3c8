import type { ChildProcess } from 'node:child_process';

/**
 * A request/reply channel over Node's IPC, so the orchestrator can drive the server and the
 * load generator step by step (boot, warm up, snapshot CPU, measure, snapshot, stop) and the
 * measured window is exactly the one between two snapshots.
 */
interface RpcRequest {
  readonly rpc: 'request';
  readonly id: number;
  readonly command: string;
  readonly args: unknown;
}

interface RpcReply {
  readonly rpc: 'reply';
  readonly id: number;
  readonly result?: unknown;
  readonly error?: string;
}

export class RpcClient {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();

  constructor(
    readonly child: ChildProcess,
    private readonly name: string,
  ) {
    child.on('message', (message: RpcReply) => {
      if (message?.rpc !== 'reply') return;
      const waiter = this.pending.get(message.id);
      if (waiter === undefined) return;
      this.pending.delete(message.id);
      if (message.error === undefined) waiter.resolve(message.result);
      else waiter.reject(new Error(`${this.name}: ${message.error}`));
    });
    child.once('exit', (code, signal) => {
      for (const waiter of this.pending.values()) {
        waiter.reject(new Error(`${this.name} exited (code ${code}, signal ${signal})`));
      }
      this.pending.clear();
    });
  }

  /** Every call has a deadline: a wedged child must fail the run, not hang it. */
  call<T>(command: string, args: unknown, timeoutMs: number): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: "${command}" took longer than ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as T);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      const request: RpcRequest = { rpc: 'request', id, command, args };
      this.child.send(request);
    });
  }
}

export type RpcHandlers = Record<string, (args: never) => unknown>;

/** Child side: answers requests with the handlers' results; exits when the parent goes away. */
export function serveRpc(handlers: RpcHandlers): void {
  if (process.send === undefined) {
    throw new Error('This file is a benchmark child process; run it through `npm run bench`.');
  }
  process.on('message', (message: RpcRequest) => {
    if (message?.rpc !== 'request') return;
    const handler = handlers[message.command] as ((args: unknown) => unknown) | undefined;
    const reply = (body: Omit<RpcReply, 'rpc' | 'id'>) =>
      process.send!({ rpc: 'reply', id: message.id, ...body } satisfies RpcReply);
    if (handler === undefined) {
      reply({ error: `unknown command "${message.command}"` });
      return;
    }
    Promise.resolve()
      .then(() => handler(message.args))
      .then(
        (result) => reply({ result }),
        (error: unknown) =>
          reply({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
      );
  });
  process.once('disconnect', () => process.exit(0));
}
