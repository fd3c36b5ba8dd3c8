import { type CanActivate, type ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AllowedOriginsMetadata } from './allowed-origins.decorator.js';
import { getHandshakeOrigin } from './handshake-origin.store.js';
import { OriginPolicyRegistry } from './origin-policy.registry.js';
import type { HandshakeOrigin } from './policy/origin-decision.js';
import { RefusalLog } from './refusal-log.js';

/** RFC 6455 §7.4.1: "an endpoint is terminating the connection because it has received a message that violates its policy". */
export const POLICY_VIOLATION_CLOSE_CODE = 1008;
export const ORIGIN_REFUSED_MESSAGE = 'Origin not allowed';

/**
 * Message-level defense in depth for gateway handlers. It re-checks the origin recorded at the
 * handshake against the handler's `@AllowedOrigins` (a method's list overrides its class's,
 * which overrides the module's), so a handler can be narrowed to fewer origins than its
 * gateway accepts.
 *
 * It is not the CSWSH defense: it runs after the connection is open, on each message. The
 * handshake check of the origin-checking adapter is what keeps hostile pages out. Without that
 * adapter no origin is recorded and this guard refuses every message.
 *
 * On refusal a plain `ws` client is closed with code 1008 (policy violation); a Socket.IO
 * client gets an `exception` event with the message "Origin not allowed" and is disconnected.
 * Applies to WebSocket handlers only; other contexts pass through.
 *
 * @example
 * ```ts
 * @UseGuards(OriginGuard)
 * @AllowedOrigins('https://admin.example.com')
 * @SubscribeMessage('delete-room')
 * deleteRoom() {}
 * ```
 * @publicApi
 */
@Injectable()
export class OriginGuard implements CanActivate {
  private static readonly refusals = new RefusalLog(new Logger(OriginGuard.name));

  constructor(
    private readonly reflector: Reflector,
    private readonly registry: OriginPolicyRegistry,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'ws') return true;
    const client = context.switchToWs().getClient<object>();
    const entries = this.reflector.getAllAndOverride(AllowedOriginsMetadata, [
      context.getHandler(),
      context.getClass(),
    ]);
    const handshake = getHandshakeOrigin(client);
    if (handshake !== undefined && this.registry.forEntries(entries).allows(handshake)) {
      return true;
    }
    this.refuse(client, context, handshake);
    return false;
  }

  private refuse(
    client: object,
    context: ExecutionContext,
    handshake: HandshakeOrigin | undefined,
  ): void {
    OriginGuard.refusals.refused({
      stage: 'message',
      reason: handshake === undefined || handshake.origin === undefined ? 'missing' : 'not_allowed',
      claimed: handshake?.origin,
      detail:
        handshake === undefined
          ? 'no origin was recorded at the handshake: is the origin-checking adapter installed?'
          : undefined,
      url: undefined,
      gateways: [],
      handler: `${context.getClass().name}.${context.getHandler().name}`,
    });
    closeClient(client);
  }
}

function closeClient(client: object): void {
  const socket = client as {
    readyState?: unknown;
    close?: (code: number, reason: string) => void;
    emit?: (event: string, payload: unknown) => void;
    disconnect?: (close: boolean) => void;
  };
  if (typeof socket.readyState === 'number' && typeof socket.close === 'function') {
    // Plain `ws`: the close code is the one signal every client library surfaces.
    socket.close(POLICY_VIOLATION_CLOSE_CODE, ORIGIN_REFUSED_MESSAGE);
  } else if (typeof socket.disconnect === 'function') {
    socket.emit?.('exception', { status: 'error', message: ORIGIN_REFUSED_MESSAGE });
    socket.disconnect(true);
  }
}
