import { Module } from '@nestjs/common';
import { OriginGuardModule } from '../src/index.js';
import { BenchGateway, PlainBenchGateway } from './bench.gateway.js';
import { BENCH_ALLOWED_ORIGINS } from './bench-origins.js';
import { NaiveVerifyGateway } from './naive-verify.gateway.js';

const originGuard = OriginGuardModule.forRoot({
  allowedOrigins: BENCH_ALLOWED_ORIGINS,
  allowMissingOrigin: false,
});

/** The servers with our adapters. */
@Module({ imports: [originGuard], providers: [BenchGateway] })
export class BenchAppModule {}

/** Nest's own adapters, without this library (see `PlainBenchGateway`). */
@Module({ providers: [PlainBenchGateway] })
export class PlainBenchAppModule {}

/** The naive `verifyClient` refusal: Nest's `WsAdapter` and a gateway that checks by itself. */
@Module({ providers: [NaiveVerifyGateway] })
export class NaiveVerifyAppModule {}
