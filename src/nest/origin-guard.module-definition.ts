import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { OriginGuardModuleOptions } from './origin-guard-options.interface.js';

export const {
  ConfigurableModuleClass: ConfigurableOriginGuardModule,
  MODULE_OPTIONS_TOKEN: ORIGIN_GUARD_MODULE_OPTIONS,
  OPTIONS_TYPE: ORIGIN_GUARD_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: ORIGIN_GUARD_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<Omit<OriginGuardModuleOptions, 'isGlobal'>>({
  moduleName: 'OriginGuard',
})
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createOriginGuardOptions')
  .setExtras({ isGlobal: true }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
  }))
  .build();
