import type { ProjectLayout, ScaffoldPlan } from './model';
import { missing } from './layout';
import { constant, join, kebab, pascal, words } from './names';

export interface CircuitBreakerInput {
  /** The remote service, e.g. "payments". */
  service: string;
  library: 'opossum' | 'cockatiel';
}

/** The library the project already has, preferring cockatiel; undefined when it has neither. */
export function breakerLibraryOf(layout: ProjectLayout): 'opossum' | 'cockatiel' | undefined {
  return layout.dependencies.has('cockatiel') ? 'cockatiel' : layout.dependencies.has('opossum') ? 'opossum' : undefined;
}

/**
 * An injectable HTTP client for one service: every call has a timeout (AbortSignal.timeout),
 * goes through a circuit breaker (opossum, or cockatiel with retry and backoff), and fails fast
 * with a 503 while the circuit is open. Registered through its own module in the root module.
 */
export function circuitBreakerScaffold(layout: ProjectLayout, input: CircuitBreakerInput): ScaffoldPlan {
  const name = kebab(input.service);
  const Name = pascal(input.service);
  const readable = words(input.service).join(' ');
  const dir = join(layout.sourceDir, name);
  const clientFile = join(dir, `${name}.client.ts`);
  const moduleFile = join(dir, `${name}-client.module.ts`);
  const envVar = `${constant(input.service)}_URL`;
  const client = input.library === 'opossum' ? opossumClient(Name, readable, name, envVar) : cockatielClient(Name, readable, name, envVar);
  const module = `import { Module } from '@nestjs/common';
import { ${Name}Client } from './${name}.client';

/** Provides the ${readable} client; import this module where the client is injected. */
@Module({
  providers: [${Name}Client],
  exports: [${Name}Client],
})
export class ${Name}ClientModule {}
`;
  const packages = input.library === 'opossum' ? ['@nestjs/common', 'opossum', '@types/opossum'] : ['@nestjs/common', 'cockatiel'];
  return {
    title: `${readable} client with a circuit breaker`,
    files: [
      { path: clientFile, content: client },
      { path: moduleFile, content: module },
    ],
    registrations: layout.rootModule ? [{ moduleFile: layout.rootModule, array: 'imports', className: `${Name}ClientModule`, classFile: moduleFile }] : [],
    open: [clientFile],
    missingDependencies: missing(layout, packages),
  };
}

const SHARED_SEND = (readable: string) => `  private async send(path: string, init: RequestInit, signal: AbortSignal): Promise<unknown> {
    const response = await fetch(\`\${BASE_URL}\${path}\`, {
      ...init,
      headers: { 'content-type': 'application/json', accept: 'application/json', ...init.headers },
      signal,
    });
    // 5xx and 429 count as failures for the breaker; other 4xx are the caller's problem, not an outage.
    if (response.status >= 500 || response.status === 429) throw new Error(\`${readable} answered \${response.status} for \${init.method ?? 'GET'} \${path}\`);
    if (!response.ok) throw new HttpException(await response.text(), response.status);
    return response.status === 204 ? undefined : response.json();
  }`;

function opossumClient(Name: string, readable: string, name: string, envVar: string): string {
  return `import { HttpException, Injectable, Logger, OnModuleDestroy, ServiceUnavailableException } from '@nestjs/common';
import CircuitBreaker from 'opossum';

const BASE_URL = process.env.${envVar} ?? 'http://${name}:3000';
/** Each request gives up after this long; the breaker counts it as a failure. */
const TIMEOUT_MS = 3000;

/**
 * Calls the ${readable} service through an opossum circuit breaker: after half the calls in the
 * window fail (or time out), the circuit opens for 30 s and calls fail fast with a 503 instead of
 * piling up behind a dead dependency; then one call probes whether it is back.
 */
@Injectable()
export class ${Name}Client implements OnModuleDestroy {
  private readonly logger = new Logger(${Name}Client.name);
  private readonly breaker: CircuitBreaker<[string, RequestInit], unknown>;

  constructor() {
    this.breaker = new CircuitBreaker((path: string, init: RequestInit) => this.send(path, init, AbortSignal.timeout(TIMEOUT_MS)), {
      name: '${name}',
      timeout: TIMEOUT_MS,
      errorThresholdPercentage: 50,
      volumeThreshold: 5,
      resetTimeout: 30_000,
      // A 4xx is a valid answer, not a sign the service is down.
      errorFilter: (error: unknown) => error instanceof HttpException,
    });
    this.breaker.fallback((_path: string, _init: RequestInit, error?: unknown) => {
      if (error instanceof HttpException) throw error;
      throw new ServiceUnavailableException({ code: '${constant(name)}_UNAVAILABLE', message: '${readable} is unavailable; try again shortly' });
    });
    this.breaker.on('open', () => this.logger.warn('${readable} circuit opened: failing fast for 30 s'));
    this.breaker.on('close', () => this.logger.log('${readable} circuit closed'));
  }

  get<T>(path: string): Promise<T> {
    return this.breaker.fire(path, { method: 'GET' }) as Promise<T>;
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.breaker.fire(path, { method: 'POST', body: JSON.stringify(body) }) as Promise<T>;
  }

  onModuleDestroy(): void {
    this.breaker.shutdown();
  }

${SHARED_SEND(readable)}
}
`;
}

function cockatielClient(Name: string, readable: string, name: string, envVar: string): string {
  return `import { HttpException, Injectable, Logger, ServiceUnavailableException } from '@nestjs/common';
import {
  BrokenCircuitError,
  ConsecutiveBreaker,
  ExponentialBackoff,
  TimeoutStrategy,
  circuitBreaker,
  handleWhen,
  retry,
  timeout,
  wrap,
} from 'cockatiel';

const BASE_URL = process.env.${envVar} ?? 'http://${name}:3000';
/** Each attempt gives up after this long. */
const TIMEOUT_MS = 3000;

// Only outages count: a 4xx (HttpException) is a valid answer and is neither retried nor counted.
const outage = handleWhen((error) => !(error instanceof HttpException));

/**
 * Calls the ${readable} service with a timeout per attempt, up to three attempts with exponential
 * backoff, inside a circuit breaker that opens after five consecutive failures and probes again
 * after 30 s. While it is open, calls fail fast with a 503.
 */
@Injectable()
export class ${Name}Client {
  private readonly logger = new Logger(${Name}Client.name);
  private readonly breaker = circuitBreaker(outage, { halfOpenAfter: 30_000, breaker: new ConsecutiveBreaker(5) });
  private readonly policy = wrap(
    retry(outage, { maxAttempts: 2, backoff: new ExponentialBackoff({ initialDelay: 200, maxDelay: 2000 }) }),
    this.breaker,
    timeout(TIMEOUT_MS, TimeoutStrategy.Aggressive),
  );

  constructor() {
    this.breaker.onBreak(() => this.logger.warn('${readable} circuit opened: failing fast for 30 s'));
    this.breaker.onReset(() => this.logger.log('${readable} circuit closed'));
  }

  get<T>(path: string): Promise<T> {
    return this.call(path, { method: 'GET' }) as Promise<T>;
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.call(path, { method: 'POST', body: JSON.stringify(body) }) as Promise<T>;
  }

  private async call(path: string, init: RequestInit): Promise<unknown> {
    try {
      return await this.policy.execute(({ signal }) => this.send(path, init, signal));
    } catch (error) {
      if (error instanceof BrokenCircuitError) {
        throw new ServiceUnavailableException({ code: '${constant(name)}_UNAVAILABLE', message: '${readable} is unavailable; try again shortly' });
      }
      throw error;
    }
  }

${SHARED_SEND(readable)}
}
`;
}
