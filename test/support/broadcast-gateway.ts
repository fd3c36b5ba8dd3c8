import {
  type GatewayMetadata,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
  WebSocketGateway,
} from '@nestjs/websockets';
import type { Namespace } from 'socket.io';
import { AllowedOrigins, type AllowedOriginsEntry } from '../../src/index.js';

/**
 * What a `broadcastGateway` saw, and the namespace it serves, for the test to emit on it (as
 * application code would, with `@WebSocketServer()`).
 */
export class BroadcastProbe {
  connections = 0;
  disconnections = 0;
  private served: Namespace | undefined;
  private readonly waiters: { count: number; resolve: () => void }[] = [];

  /** The namespace the gateway serves (its `afterInit` argument). */
  get namespace(): Namespace {
    if (this.served === undefined) throw new Error('the gateway was not initialized');
    return this.served;
  }

  /** Resolves once `handleDisconnect` has run `count` times in all (at once if it has). */
  disconnected(count: number): Promise<void> {
    if (this.disconnections >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  /** @internal called by the gateway. */
  init(namespace: Namespace): void {
    this.served = namespace;
  }

  /** @internal called by the gateway. */
  disconnect(): void {
    this.disconnections++;
    for (const waiter of this.waiters.splice(0)) {
      if (this.disconnections >= waiter.count) waiter.resolve();
      else this.waiters.push(waiter);
    }
  }
}

export interface BroadcastGatewaySpec {
  readonly name: string;
  /**
   * Gateway options, passed on by Nest to the Socket.IO server (the first gateway of an engine
   * creates it), so they may hold server options `GatewayMetadata` does not type, such as
   * `connectionStateRecovery`.
   */
  readonly options: GatewayMetadata & Record<string, unknown>;
  /** `@AllowedOrigins(...)` arguments on the class; absent = the module default. */
  readonly allowedOrigins?: unknown[];
}

/** A gateway that only counts connections and disconnections, and hands out its namespace. */
export function broadcastGateway(probe: BroadcastProbe, spec: BroadcastGatewaySpec): Function {
  @WebSocketGateway(0, spec.options)
  class BroadcastGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect {
    afterInit(namespace: Namespace): void {
      probe.init(namespace);
    }

    handleConnection(): void {
      probe.connections++;
    }

    handleDisconnect(): void {
      probe.disconnect();
    }
  }
  if (spec.allowedOrigins !== undefined) {
    AllowedOrigins(...(spec.allowedOrigins as AllowedOriginsEntry[]))(BroadcastGateway);
  }
  Object.defineProperty(BroadcastGateway, 'name', { value: spec.name });
  return BroadcastGateway;
}
