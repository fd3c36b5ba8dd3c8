import { type BootedApp, bootApp, type BootSpec } from './boot.js';

export type IoBootSpec = Omit<BootSpec, 'transport'>;

/** Boots a real Nest application with a Socket.IO adapter on an ephemeral loopback port. */
export function bootIoApp(spec: IoBootSpec): Promise<BootedApp> {
  return bootApp({ ...spec, transport: 'socket.io' });
}
