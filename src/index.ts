import { createBrevet } from './app';
import { ConfigError, listenHost, loadConfig } from './config';
import { createLogger } from './logger';
import { testEndpointsFromEnv } from './service-endpoints';

/** Composition root: config → app → listen. */
async function main(): Promise<void> {
  const config = loadConfig();
  // Only a process under test sets these (README "Configuration": test-only variables).
  const endpoints = testEndpointsFromEnv();
  const logger = createLogger(config.LOG_LEVEL);
  const brevet = await createBrevet(config, logger, { endpoints });
  // Without BOT_ID nothing is authenticated: only this machine may talk to the bot.
  const host = listenHost(config);
  brevet.server.listen(config.PORT, host, () => {
    logger.info(
      {
        port: config.PORT,
        host: host ?? 'all interfaces',
        database: config.DATABASE_URL ? 'postgres' : 'sqlite',
        authenticated: Boolean(config.BOT_ID),
      },
      `Brevet listening on http://localhost:${config.PORT}/api/messages`,
    );
    if (!config.BOT_ID)
      logger.warn(
        { host },
        'BOT_ID is not set: requests are not authenticated, so Brevet listens on loopback only (local use)',
      );
    if (endpoints)
      logger.warn(
        { loopbackServices: endpoints.loopbackServices },
        "test-only endpoints are set: Microsoft's services are replaced by stand-ins (never in production)",
      );
  });
  const shutdown = () => {
    logger.info('shutting down');
    void brevet.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  // Before the logger exists (bad configuration) the reason goes to stderr, plainly.
  process.stderr.write(
    `${error instanceof ConfigError ? error.message : String((error as Error)?.stack ?? error)}\n`,
  );
  process.exit(1);
});
