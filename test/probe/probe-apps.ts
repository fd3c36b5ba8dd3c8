import { type BootedApp, type BootSpec, bootApp } from '../support/boot.js';
import { echoGateway, GatewayProbe } from '../support/echo-gateway.js';
import { selfSignedCertificate } from '../support/self-signed-certificate.js';

/** The apps the probe suites probe: one echo gateway on `/ws`, booted as `spec` says. */
export function bootWsEchoApp(
  spec: Omit<BootSpec, 'gateways'> = {},
  probe = new GatewayProbe(),
): Promise<BootedApp> {
  return bootApp({ gateways: [echoGateway(probe, { options: { path: '/ws' } })], ...spec });
}

/** `bootWsEchoApp` over HTTPS, with a self-signed certificate. */
export function bootTlsWsEchoApp(): Promise<BootedApp> {
  return bootWsEchoApp({ httpsOptions: selfSignedCertificate() });
}
