import type { DiscoveryService } from '@nestjs/core';
import { Reflector } from '@nestjs/core';
import { AllowedOriginsMetadata } from './allowed-origins.decorator.js';

/**
 * What the application's gateways declare: where each one's socket server listens, in the
 * terms the adapters use, and its `@AllowedOrigins`.
 *
 * `@nestjs/websockets` records a gateway's port and options under these metadata keys but does
 * not export the constants from its package root (only from `internal`, which is not public
 * API). They have been stable since Nest 5; `gateway-metadata.spec.ts` fails if they change.
 */
const GATEWAY_METADATA = 'websockets:is_gateway';
const PORT_METADATA = 'port';
const GATEWAY_OPTIONS = 'websockets:gateway_options';

/** Port 0 means "the application's own HTTP server". */
const APP_SERVER_PORT = 0;

export interface GatewayEndpoint {
  readonly port: number;
  /** Normalized like Nest's `WsAdapter` does; `undefined` when a gateway owns a port without a path. */
  readonly path: string | undefined;
}

export function isGateway(target: unknown): target is Function {
  return typeof target === 'function' && Reflect.getMetadata(GATEWAY_METADATA, target) === true;
}

/** The application's gateway classes, each once. */
export function discoverGateways(discovery: DiscoveryService): Function[] {
  const gateways = new Set<Function>();
  for (const wrapper of discovery.getProviders()) {
    if (isGateway(wrapper.metatype)) gateways.add(wrapper.metatype);
  }
  return [...gateways];
}

const reflector = new Reflector();

/**
 * The raw arguments of `@AllowedOrigins(...)` on a gateway class or handler method (the same
 * array every time), read through the decorator as `OriginGuard` reads them.
 */
export function readAllowedOrigins(target: Function): readonly unknown[] | undefined {
  return reflector.get(AllowedOriginsMetadata, target);
}

export function readGatewayEndpoint(gateway: Function): GatewayEndpoint {
  const port: unknown = Reflect.getMetadata(PORT_METADATA, gateway);
  return endpointOf(
    typeof port === 'number' ? port : APP_SERVER_PORT,
    gatewayOptions(gateway).path,
  );
}

/** The Socket.IO namespace option of a gateway, as written (see `namespaceKey`). */
export function readGatewayNamespace(gateway: Function): unknown {
  return gatewayOptions(gateway).namespace;
}

function gatewayOptions(gateway: Function): { path?: unknown; namespace?: unknown } {
  return (Reflect.getMetadata(GATEWAY_OPTIONS, gateway) ?? {}) as {
    path?: unknown;
    namespace?: unknown;
  };
}

/**
 * Mirrors how `WsAdapter.create()` routes: on the app's server (port 0) or on a dedicated
 * server with a path, the path is normalized and matched exactly; a dedicated port without a
 * path answers on every path.
 */
export function endpointOf(port: number, path: unknown): GatewayEndpoint {
  const rawPath = typeof path === 'string' && path !== '' ? path : undefined;
  if (rawPath === undefined && port !== APP_SERVER_PORT) return { port, path: undefined };
  return { port, path: normalizePath(rawPath) };
}

export function endpointKey(endpoint: GatewayEndpoint): string {
  return `${endpoint.port}|${endpoint.path ?? '*'}`;
}

export function describeEndpoint(endpoint: GatewayEndpoint): string {
  const server =
    endpoint.port === APP_SERVER_PORT ? "the app's HTTP server" : `port ${endpoint.port}`;
  return endpoint.path === undefined
    ? `${server} (any path)`
    : `${server}, path "${endpoint.path}"`;
}

/** Nest's own `normalizePath` (not exported from a package root). */
function normalizePath(path: string | undefined): string {
  return path ? `/${path.replace(/\/+$/, '')}`.replace(/\/+/g, '/') : '/';
}
