import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AllowedOriginsMetadata } from './allowed-origins.decorator.js';
import { DecisionReporter } from './decision-reporter.js';
import { getHandshakeOrigin, type HandshakeOrigin } from './handshake-origin.store.js';
import { OriginPolicyRegistry } from './origin-policy.registry.js';
import type { OriginDecision } from './policy/origin-decision.js';
import type { OriginPolicy } from './policy/origin-policy.js';

/**
 * The close code `OriginGuard` closes a plain `ws` client with. RFC 6455 §7.4.1: "an endpoint
 * is terminating the connection because it has received a message that violates its policy".
 *
 * @example
 * ```ts
 * socket.onclose = (event) => event.code === POLICY_VIOLATION_CLOSE_CODE && showOriginError();
 * ```
 * @publicApi
 */
export const POLICY_VIOLATION_CLOSE_CODE = 1008;

/**
 * The reason and message `OriginGuard` sends with a refusal (ws close reason, Socket.IO
 * `exception` message and namespace `connect_error`).
 *
 * @example
 * ```ts
 * socket.on('connect_error', (error) => error.message === ORIGIN_REFUSED_MESSAGE && showOriginError());
 * ```
 * @publicApi
 */
export const ORIGIN_REFUSED_MESSAGE = 'Origin not allowed';

const NO_REQUEST = { rawHeaders: [] };

const NOT_RECORDED: OriginDecision = {
  allowed: false,
  reason: 'missing',
  claimed: undefined,
  detail: 'no origin was recorded at the handshake: is the origin-checking adapter installed?',
};

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
 * In report-only mode it logs "would refuse" and lets the message through. Applies to
 * WebSocket handlers only; other contexts pass through.
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
  /** Each handler's policy, by class then handler: metadata does not change after bootstrap. */
  private readonly policies = new WeakMap<Function, Map<Function, OriginPolicy>>();

  constructor(
    private readonly reflector: Reflector,
    private readonly registry: OriginPolicyRegistry,
    private readonly reporter: DecisionReporter,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (context.getType() !== 'ws') return true;
    const client = context.switchToWs().getClient<object>();
    const policy = this.policyOf(context.getClass(), context.getHandler());
    if (wasAllowed(client, policy)) return true;
    const handler = `${context.getClass().name}.${context.getHandler().name}`;
    const handshake = getHandshakeOrigin(client);
    const decision =
      handshake === undefined
        ? NOT_RECORDED
        : policy.recheck(handshake.origin, handshake.request, {
            gateways: [handler],
            path: handshake.path,
          });
    return decision instanceof Promise
      ? decision.then((settled) => this.conclude(settled, policy, client, handshake, handler))
      : this.conclude(decision, policy, client, handshake, handler);
  }

  private conclude(
    decision: OriginDecision,
    policy: OriginPolicy,
    client: object,
    handshake: HandshakeOrigin | undefined,
    handler: string,
  ): boolean {
    const proceed = this.reporter.settle(
      'message',
      decision,
      policy,
      handshake?.request ?? NO_REQUEST,
      [handler],
    );
    if (
      decision.allowed &&
      decision.failure === undefined &&
      !policy.hasPredicates &&
      !this.reporter.listening
    ) {
      rememberAllowed(client, policy);
    }
    if (!proceed) closeClient(client);
    return proceed;
  }

  private policyOf(gateway: Function, handler: Function): OriginPolicy {
    let byHandler = this.policies.get(gateway);
    if (byHandler === undefined) {
      byHandler = new Map();
      this.policies.set(gateway, byHandler);
    }
    let policy = byHandler.get(handler);
    if (policy === undefined) {
      const declared = this.reflector.getAllAndOverride(AllowedOriginsMetadata, [handler, gateway]);
      policy = this.registry.forDeclared(declared);
      byHandler.set(handler, policy);
    }
    return policy;
  }
}

/**
 * The policies a client's recorded origin already passed. Neither the origin nor a policy ever
 * changes, so a verdict that needed no predicate holds for the client's lifetime and later
 * messages skip the re-check. Not kept while an `onDecision` hook wants every decision.
 */
const ALLOWED_POLICIES = Symbol('nestjs-origin-guard:allowed-policies');

interface WithVerdicts {
  [ALLOWED_POLICIES]?: OriginPolicy[];
}

function wasAllowed(client: object, policy: OriginPolicy): boolean {
  return (client as WithVerdicts)[ALLOWED_POLICIES]?.includes(policy) === true;
}

function rememberAllowed(client: object, policy: OriginPolicy): void {
  ((client as WithVerdicts)[ALLOWED_POLICIES] ??= []).push(policy);
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
