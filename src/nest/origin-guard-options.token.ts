import { Inject } from '@nestjs/common';
import type { OriginGuardModuleOptions } from './origin-guard-options.interface.js';
import {
  ORIGIN_GUARD_ASYNC_OPTIONS_TYPE,
  ORIGIN_GUARD_MODULE_OPTIONS,
} from './origin-guard.module-definition.js';

/**
 * The options of `OriginGuardModule.forRootAsync()`: `useFactory` with `inject` and `imports`,
 * `useClass` or `useExisting` (a class implementing `OriginGuardOptionsFactory`).
 *
 * @publicApi
 */
export type OriginGuardModuleAsyncOptions = typeof ORIGIN_GUARD_ASYNC_OPTIONS_TYPE;

/**
 * A class that builds the module options, for `forRootAsync({ useClass })`.
 *
 * @example
 * ```ts
 * @Injectable()
 * class OriginOptions implements OriginGuardOptionsFactory {
 *   constructor(private readonly config: ConfigService) {}
 *   createOriginGuardOptions() {
 *     return { allowedOrigins: this.config.getOrThrow<string>('WS_ORIGINS').split(',') };
 *   }
 * }
 * OriginGuardModule.forRootAsync({ imports: [ConfigModule], useClass: OriginOptions });
 * ```
 * @publicApi
 */
export interface OriginGuardOptionsFactory {
  createOriginGuardOptions():
    | Omit<OriginGuardModuleOptions, 'isGlobal'>
    | Promise<Omit<OriginGuardModuleOptions, 'isGlobal'>>;
}

/**
 * The injection token of the module options, as given to `forRoot()` or built by
 * `forRootAsync()`.
 *
 * @publicApi
 */
export function getOriginGuardOptionsToken(): string | symbol {
  return ORIGIN_GUARD_MODULE_OPTIONS;
}

/**
 * Injects the module options, as given to `forRoot()` or built by `forRootAsync()`.
 *
 * @example
 * ```ts
 * constructor(@InjectOriginGuardOptions() private readonly options: OriginGuardModuleOptions) {}
 * ```
 * @publicApi
 */
export function InjectOriginGuardOptions(): ParameterDecorator & PropertyDecorator {
  return Inject(ORIGIN_GUARD_MODULE_OPTIONS);
}
