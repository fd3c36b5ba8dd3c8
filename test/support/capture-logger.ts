import type { LoggerService } from '@nestjs/common';

/** A Nest logger that keeps what it is given, so tests can assert exact log lines. */
export class CaptureLogger implements LoggerService {
  readonly lines: { level: string; message: string; context?: string }[] = [];

  log(message: unknown, context?: string): void {
    this.push('log', message, context);
  }
  error(message: unknown, _trace?: string, context?: string): void {
    this.push('error', message, context);
  }
  warn(message: unknown, context?: string): void {
    this.push('warn', message, context);
  }
  debug(message: unknown, context?: string): void {
    this.push('debug', message, context);
  }
  verbose(message: unknown, context?: string): void {
    this.push('verbose', message, context);
  }

  /** Warnings written with the given context. */
  warnings(context = 'OriginGuard'): string[] {
    return this.lines
      .filter((l) => l.level === 'warn' && l.context === context)
      .map((l) => l.message);
  }

  private push(level: string, message: unknown, context?: string): void {
    this.lines.push({ level, message: String(message), context });
  }
}
