import { type CanActivate, Injectable } from '@nestjs/common';

/**
 * A guard that allows everything: the control that prices Nest's own guard machinery
 * (`GuardsConsumer`, an execution context, two awaits per message), which any guard pays,
 * apart from what `OriginGuard` itself does.
 */
@Injectable()
export class AllowAllGuard implements CanActivate {
  canActivate(): boolean {
    return true;
  }
}
