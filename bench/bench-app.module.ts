import { Module } from '@nestjs/common';
import { OriginGuardModule } from '../src/index.js';
import { BenchGateway } from './bench.gateway.js';
import { BENCH_ALLOWED_ORIGINS } from './bench-origins.js';

/** Imported by every server variant, so that the variants differ only in the adapter. */
@Module({
  imports: [
    OriginGuardModule.forRoot({ allowedOrigins: BENCH_ALLOWED_ORIGINS, allowMissingOrigin: false }),
  ],
  providers: [BenchGateway],
})
export class BenchAppModule {}
