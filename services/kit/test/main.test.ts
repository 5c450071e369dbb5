import { trace } from '@opentelemetry/api';
import { runMain, type MainContext } from '../src/main.js';

describe('runMain', () => {
  const saved = process.env.SERVICE_NAME;
  afterEach(() => {
    if (saved === undefined) delete process.env.SERVICE_NAME;
    else process.env.SERVICE_NAME = saved;
  });

  it('starts tracing before the service, and hands it the closer that shuts tracing down', async () => {
    delete process.env.SERVICE_NAME;
    let seen: (MainContext & { traceId: string }) | undefined;
    await runMain(
      'widgets',
      async (context) => {
        const span = trace.getTracer('main-test').startSpan('start-up');
        seen = { ...context, traceId: span.spanContext().traceId };
        span.end();
      },
      { instrumentations: false },
    );
    expect(seen?.serviceName).toBe('widgets');
    // A real tracer provider, not the API's no-op one: tracing was running when the service started.
    expect(seen?.traceId).not.toBe('0'.repeat(32));
    expect(seen?.onShutdown).toHaveLength(1);
    const [shutdownTracing] = seen!.onShutdown;
    await (shutdownTracing as () => Promise<void>)();
  });

  it('takes the service name from SERVICE_NAME when set', async () => {
    process.env.SERVICE_NAME = 'widgets-eu';
    let name: string | undefined;
    await runMain(
      'widgets',
      async ({ serviceName, onShutdown }) => {
        name = serviceName;
        await (onShutdown[0] as () => Promise<void>)();
      },
      { instrumentations: false },
    );
    expect(name).toBe('widgets-eu');
  });
});
