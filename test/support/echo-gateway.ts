import { UseGuards } from '@nestjs/common';
import {
  type GatewayMetadata,
  MessageBody,
  type OnGatewayConnection,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import { AllowedOrigins, type AllowedOriginsEntry, OriginGuard } from '../../src/index.js';

/** Counts what gateway code ran, to prove a refused handshake ran none of it. */
export class GatewayProbe {
  afterInit = 0;
  connections = 0;
  messages = 0;

  /** The counts as a plain object, to compare before and after a handshake. */
  counts(): { afterInit: number; connections: number; messages: number } {
    return { afterInit: this.afterInit, connections: this.connections, messages: this.messages };
  }
}

export interface EchoGatewaySpec {
  readonly name?: string;
  readonly port?: number;
  readonly options?: GatewayMetadata;
  /** `@AllowedOrigins(...)` arguments on the class; absent = the module default. */
  readonly allowedOrigins?: unknown[];
  /** `@AllowedOrigins(...)` arguments on the `admin` handler, which is always guarded by `OriginGuard`. */
  readonly adminOrigins?: unknown[];
}

/**
 * A real gateway: `echo` answers with what it was sent; `guarded` and `admin` run behind
 * `OriginGuard` (the latter with its own `@AllowedOrigins`).
 */
export function echoGateway(probe: GatewayProbe, spec: EchoGatewaySpec = {}): Function {
  @WebSocketGateway(spec.port ?? 0, spec.options ?? {})
  class EchoGateway implements OnGatewayInit, OnGatewayConnection {
    afterInit(): void {
      probe.afterInit++;
    }

    handleConnection(): void {
      probe.connections++;
    }

    @SubscribeMessage('echo')
    echo(@MessageBody() data: unknown) {
      probe.messages++;
      return { event: 'echo', data };
    }

    @UseGuards(OriginGuard)
    @SubscribeMessage('guarded')
    guarded(@MessageBody() data: unknown) {
      probe.messages++;
      return { event: 'guarded', data };
    }

    @UseGuards(OriginGuard)
    @AllowedOrigins(
      ...((spec.adminOrigins ?? ['https://admin.example.com']) as AllowedOriginsEntry[]),
    )
    @SubscribeMessage('admin')
    admin(@MessageBody() data: unknown) {
      probe.messages++;
      return { event: 'admin', data };
    }
  }
  if (spec.allowedOrigins !== undefined) {
    AllowedOrigins(...(spec.allowedOrigins as AllowedOriginsEntry[]))(EchoGateway);
  }
  if (spec.name !== undefined) Object.defineProperty(EchoGateway, 'name', { value: spec.name });
  return EchoGateway;
}
