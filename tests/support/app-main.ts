// The real app as a separate process, for tests that kill it (kill -9) or run two instances.
// Configuration from the environment like `npm start`; test-only tuning in BREVET_TEST_OPTIONS.
import { createBrevet } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { testEndpointsFromEnv } from '../../src/service-endpoints';

async function main(): Promise<void> {
  const options = JSON.parse(process.env.BREVET_TEST_OPTIONS ?? '{}') as {
    postgresSchema?: string;
    delivery?: { leaseMs?: number; idleMs?: number };
  };
  const config = loadConfig();
  const brevet = await createBrevet(config, createLogger(config.LOG_LEVEL), {
    ...options,
    endpoints: testEndpointsFromEnv(),
  });
  brevet.server.listen(0, '127.0.0.1', () => {
    const address = brevet.server.address() as { port: number };
    process.stdout.write(`listening ${address.port}\n`);
  });
  process.on('SIGTERM', () => void brevet.close().then(() => process.exit(0)));
}

void main();
