import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  Logger,
  Optional,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ORIGIN_REFUSED_MESSAGE, POLICY_VIOLATION_CLOSE_CODE } from '../constants.js';
import type { OriginDecision } from '../policy/origin-decision.js';
import type { OriginPolicy } from '../policy/origin-policy.js';
import { clientSlot } from '../runtime/client-slot.js';
import { getHandshakeOrigin, type HandshakeOrigin } from '../runtime/handshake-origin.js';
import { mapReady } from '../runtime/maybe-async.js';
import { AllowedOriginsMetadata } from './allowed-origins.decorator.js';
import { ORIGIN_GUARD_RUNTIME, type OriginGuardRuntime } from './origin-guard-runtime.js';

const NO_REQUEST = { rawHeaders: [] };

const NOT_RECORDED: OriginDecision = {
  allowed: false,
  reason: 'missing',
  claimed: undefined,
  detail: 'no origin was recorded at the handshake: is the origin-checking adapter installed?',
};

/**
 * The policies a client's recorded origin already passed. Neither the origin nor a policy ever
 * changes, so a verdict that needed no predicate holds for the client's lifetime and later
 * messages skip the re-check. Not kept while an `onDecision` hook wants every decision.
 */
const passedPolicies = clientSlot<OriginPolicy[]>('passed-policies');

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
 * Subclasses may override the protected hooks (which client, which policy, what a refusal
 * does) without a constructor of their own.
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
    protected readonly reflector: Reflector,
    @Optional()
    @Inject(ORIGIN_GUARD_RUNTIME)
    private readonly runtime: OriginGuardRuntime | undefined,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (this.shouldSkip(context)) return true;
    const client = this.getClient(context);
    if (this.runtime === undefined) {
      // Used without OriginGuardModule: there is no policy to check against. Fail closed.
      new Logger('OriginGuard').error(
        'OriginGuard refused a message: OriginGuardModule is not imported. Import OriginGuardModule.forRoot({ allowedOrigins: [...] }).',
      );
      this.onRefused(client, NOT_RECORDED);
      return false;
    }
    const policy = this.policyOf(context.getClass(), context.getHandler());
    if (passedPolicies.get(client)?.includes(policy) === true) return true;
    const handler = this.describeHandler(context);
    const handshake = this.getHandshakeOrigin(client);
    const decision =
      handshake === undefined
        ? NOT_RECORDED
        : policy.recheck(handshake.origin, handshake.request, {
            gateways: [handler],
            path: handshake.path,
          });
    return mapReady(decision, (settled) =>
      this.conclude(settled, policy, client, handshake, handler),
    ) as boolean | Promise<boolean>;
  }

  /** Whether the guard lets this context through unchecked: anything but a WebSocket message. */
  protected shouldSkip(context: ExecutionContext): boolean {
    return context.getType() !== 'ws';
  }

  /** The client whose recorded origin is checked. */
  protected getClient(context: ExecutionContext): object {
    // What `switchToWs().getClient()` returns, without what `switchToWs()` costs on every
    // message: three new closures assigned onto the context object.
    return context.getArgByIndex<object>(0);
  }

  /** The origin the client's handshake recorded, or `undefined` when none was. */
  protected getHandshakeOrigin(client: object): HandshakeOrigin | undefined {
    return getHandshakeOrigin(client);
  }

  /** How the handler is named in log lines and events (`Gateway.handler`). */
  protected describeHandler(context: ExecutionContext): string {
    return `${context.getClass().name}.${context.getHandler().name}`;
  }

  /**
   * What a refusal does to the client: a plain `ws` client is closed with 1008; a Socket.IO
   * client gets an `exception` event and is disconnected.
   */
  protected onRefused(client: object, _decision: OriginDecision): void {
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

  private conclude(
    decision: OriginDecision,
    policy: OriginPolicy,
    client: object,
    handshake: HandshakeOrigin | undefined,
    handler: string,
  ): boolean {
    const { reporter } = this.runtime!;
    const { proceeds } = reporter.enforce('message', decision, handshake?.request ?? NO_REQUEST, {
      policy,
      gateways: [handler],
      path: handshake?.path ?? '',
    });
    if (
      decision.allowed &&
      decision.failure === undefined &&
      !policy.hasPredicates &&
      !reporter.listening
    ) {
      const passed = passedPolicies.get(client);
      if (passed === undefined) passedPolicies.set(client, [policy]);
      else passed.push(policy);
    }
    if (!proceeds) this.onRefused(client, decision);
    return proceeds;
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
      policy = this.runtime!.registry.forDeclared(declared);
      byHandler.set(handler, policy);
    }
    return policy;
  }
}
