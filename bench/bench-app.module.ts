import { Module } from '@nestjs/common';
import { OriginGuardModule } from '../src/index.js';
import { BenchGateway } from './bench.gateway.js';
import { BENCH_ALLOWED_ORIGINS } from './bench-origins.js';
import { NaiveVerifyGateway } from './naive-verify.gateway.js';

const originGuard = OriginGuardModule.forRoot({
  allowedOrigins: BENCH_ALLOWED_ORIGINS,
  allowMissingOrigin: false,
});

/** Imported by every server variant, so that the variants differ only in the adapter. */
@Module({ imports: [originGuard], providers: [BenchGateway] })
export class BenchAppModule {}

/** The naive `verifyClient` refusal: Nest's `WsAdapter` and a gateway that checks by itself. */
@Module({ imports: [originGuard], providers: [NaiveVerifyGateway] })
export class NaiveVerifyAppModule {}
