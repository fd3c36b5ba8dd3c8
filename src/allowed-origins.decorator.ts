import { Reflector } from '@nestjs/core';

/** Holds the raw entries; validated at bootstrap by `OriginPolicyRegistry`. */
export const AllowedOriginsMetadata = Reflector.createDecorator<readonly string[]>({
  key: 'nestjs-origin-guard:allowed-origins',
});

/**
 * Sets the origin allowlist for one gateway or one message handler, replacing the module's
 * `allowedOrigins` there. Entries are written as in `OriginGuardModuleOptions.allowedOrigins`
 * and validated at bootstrap.
 *
 * - On a gateway class: the handshake policy of the gateway's port and path, enforced by the
 *   origin-checking adapter before any gateway code runs. Gateways that share a port and path
 *   must declare the same list.
 * - On a handler method: checked by `OriginGuard` against the origin recorded at the
 *   handshake, on top of the handshake policy (so it can only narrow it).
 *
 * @example
 * ```ts
 * @AllowedOrigins('https://admin.example.com')
 * @WebSocketGateway({ path: '/admin' })
 * export class AdminGateway {}
 * ```
 * @publicApi
 */
export function AllowedOrigins(...origins: string[]): ClassDecorator & MethodDecorator {
  return AllowedOriginsMetadata(origins);
}
