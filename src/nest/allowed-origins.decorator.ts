import type { Type } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { OriginEntryInput } from '../policy/origin-entry.js';
import type { OriginCheckMode } from '../policy/policy-settings.js';

/**
 * A class that supplies a gateway's allowlist from injected services. Register it as a
 * provider and name the class in `@AllowedOrigins(...)`; it is resolved once, at bootstrap.
 * For origins that change at run time, return a predicate.
 *
 * @example
 * ```ts
 * @Injectable()
 * export class TenantOrigins implements OriginsProvider {
 *   constructor(private readonly tenants: TenantService) {}
 *   async getAllowedOrigins() {
 *     return [...(await this.tenants.originList()), (origin) => this.tenants.isTenantOrigin(origin)];
 *   }
 * }
 * ```
 * @publicApi
 */
export interface OriginsProvider {
  getAllowedOrigins(): readonly OriginEntryInput[] | Promise<readonly OriginEntryInput[]>;
}

/**
 * An `@AllowedOrigins` entry: an origin string, a `RegExp`, a predicate, or an
 * `OriginsProvider` class.
 *
 * @example
 * ```ts
 * const entries: AllowedOriginsEntry[] = ['https://app.example.com', /^https:\/\/pr-\d+\.example\.dev$/, TenantOrigins];
 * ```
 * @publicApi
 */
export type AllowedOriginsEntry = OriginEntryInput | Type<OriginsProvider>;

/**
 * The long form of `@AllowedOrigins`, for choices beyond the list itself.
 *
 * @example
 * ```ts
 * @AllowedOrigins({ origins: ['https://partner.example'], merge: 'extend', mode: 'report-only' })
 * ```
 * @publicApi
 */
export interface AllowedOriginsOptions {
  readonly origins: readonly AllowedOriginsEntry[];
  /**
   * `'replace'`: only these origins; `'extend'`: the module's `allowedOrigins` and these.
   * @default 'replace'
   */
  readonly merge?: 'replace' | 'extend';
  /**
   * `'report-only'` for this gateway or handler while the module enforces (or the reverse).
   * @default the module's `mode`
   */
  readonly mode?: OriginCheckMode;
}

/** Holds the decorator's raw arguments; validated at bootstrap by `OriginPolicyRegistry`. */
export const AllowedOriginsMetadata = Reflector.createDecorator<readonly unknown[]>({
  key: 'nestjs-origin-guard:allowed-origins',
});

/**
 * Sets the origin allowlist of one gateway or one message handler. By default it replaces the
 * module's `allowedOrigins` there; entries are written as in
 * `OriginGuardModuleOptions.allowedOrigins`, plus `OriginsProvider` classes, and validated at
 * bootstrap.
 *
 * - On a gateway class: the handshake policy of the gateway's port and path, enforced by the
 *   origin-checking adapter before any gateway code runs. Gateways that share a port and path
 *   must declare lists that decide alike.
 * - On a handler method: checked by `OriginGuard` against the origin recorded at the
 *   handshake, on top of the handshake policy (so it can only narrow it).
 *
 * @example
 * ```ts
 * @AllowedOrigins('https://admin.example.com')
 * @WebSocketGateway({ path: '/admin' })
 * export class AdminGateway {}
 *
 * @AllowedOrigins({ origins: [TenantOrigins], merge: 'extend', mode: 'report-only' })
 * @WebSocketGateway({ path: '/tenants' })
 * export class TenantGateway {}
 * ```
 * @publicApi
 */
export function AllowedOrigins(...origins: AllowedOriginsEntry[]): ClassDecorator & MethodDecorator;
export function AllowedOrigins(options: AllowedOriginsOptions): ClassDecorator & MethodDecorator;
export function AllowedOrigins(...args: unknown[]): ClassDecorator & MethodDecorator {
  return AllowedOriginsMetadata(args);
}
