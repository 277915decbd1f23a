import { type Server } from 'restify';
import { createSsoVerifier } from './auth/sso-verifier';
import { type AppConfig } from './config';
import { loadProgramme } from './curriculum/load-programme';
import { createMetrics } from './http/metrics';
import { createServer } from './http/server';
import { registerTabRoutes } from './http/tab-routes';
import { LearningService } from './learning/learning-service';
import { type Logger } from './logger';
import { projectPath } from './project-paths';
import { isDatabaseReachable, openStorage, type Storage } from './storage/database';
import { KyselyLearningStore } from './storage/learning-repository';
import { createAdapter } from './teams/bot-adapter';
import { createBotApp } from './teams/bot-app';

/** A running Brevet: its HTTP server and what must be closed on shutdown. */
export interface Brevet {
  server: Server;
  storage: Storage;
  close(): Promise<void>;
}

export interface BrevetOptions {
  /** The time source of the domain (tests move it). */
  clock?: () => Date;
  /** PostgreSQL schema (tests isolate themselves). */
  postgresSchema?: string;
}

/** Builds the whole app from configuration: storage, domain services, bot, HTTP server. */
export async function createBrevet(
  config: AppConfig,
  logger: Logger,
  options: BrevetOptions = {},
): Promise<Brevet> {
  const programme = loadProgramme(projectPath(config.CONTENT_DIR));
  const storage = await openStorage({
    databaseUrl: config.DATABASE_URL,
    sqlitePath: config.SQLITE_PATH,
    postgresSchema: options.postgresSchema,
  });
  const learning = new LearningService(
    programme,
    new KyselyLearningStore(storage.db),
    options.clock,
  );
  const adapter = createAdapter(config, logger);
  const bot = createBotApp(adapter, config.BOT_ID ?? '', {
    learning,
    programme,
    logger,
    allowedTenantIds: config.ALLOWED_TENANT_IDS,
  });
  const verifySso =
    config.AAD_APP_CLIENT_ID && config.AAD_APP_TENANT_ID
      ? createSsoVerifier({
          clientId: config.AAD_APP_CLIENT_ID,
          tenantId: config.AAD_APP_TENANT_ID,
          allowedTenantIds: config.ALLOWED_TENANT_IDS,
          metadataUrl: config.AAD_OPENID_METADATA_URL,
        })
      : undefined;
  const server = createServer({
    adapter,
    bot,
    isHealthy: () => isDatabaseReachable(storage.db),
    metrics: createMetrics(),
    logger,
    routes: [
      (s) =>
        registerTabRoutes(s, {
          learning,
          programme,
          verifySso,
          botId: config.BOT_ID,
          tabDir: projectPath('tab', 'dist'),
          logger,
        }),
    ],
  });
  return {
    server,
    storage,
    async close() {
      server.close();
      await storage.close();
    },
  };
}
