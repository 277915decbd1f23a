import { createBrevet } from './app';
import { ConfigError, loadConfig } from './config';
import { createLogger } from './logger';

/** Composition root: config → app → listen. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const brevet = await createBrevet(config, logger);
  brevet.server.listen(config.PORT, () => {
    logger.info(
      {
        port: config.PORT,
        database: config.DATABASE_URL ? 'postgres' : 'sqlite',
        authenticated: Boolean(config.BOT_ID),
      },
      `Brevet listening on http://localhost:${config.PORT}/api/messages`,
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
