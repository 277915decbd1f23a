import { type Server } from 'restify';
import { createSsoVerifier } from './auth/sso-verifier';
import { type AppConfig, endpointPolicy } from './config';
import { MICROSOFT_ENDPOINTS, type ServiceEndpoints } from './service-endpoints';
import { loadProgramme } from './curriculum/load-programme';
import { createMetrics } from './http/metrics';
import { createServer } from './http/server';
import { registerPersonalDataRoutes } from './http/personal-data-routes';
import { registerProgrammeRoutes } from './http/programme-routes';
import { DashboardService } from './dashboard/dashboard-service';
import { KyselyDashboardStore } from './storage/dashboard-repository';
import { registerTabRoutes } from './http/tab-routes';
import { LearningService } from './learning/learning-service';
import { type LearnerRecord } from './learning/learning-store';
import { type Logger } from './logger';
import { PersonalDataService } from './privacy/personal-data';
import { projectPath } from './project-paths';
import { openStorage, type Storage } from './storage/database';
import { KyselyLearningStore } from './storage/learning-repository';
import { KyselyOutboxStore } from './storage/outbox-repository';
import { KyselyPersonalDataStore } from './storage/personal-data-repository';
import { KyselyUnitStore } from './storage/unit-repository';
import { DeliveryWorker } from './delivery/delivery-worker';
import { createAdapter } from './teams/bot-adapter';
import { createBotApp } from './teams/bot-app';
import { BotConnectorClient } from './teams/bot-connector-client';
import { createTeamOwnerDirectory } from './teams/graph-team-owners';
import { createOutboxSender } from './teams/outbox-sender';
import { ScheduleRunner } from './teams/schedule-runner';
import { UnitService } from './units/unit-service';
import { ReminderService } from './reminders/reminder-service';
import { KyselyReminderStore } from './storage/reminder-repository';
import { IntervalRunner } from './delivery/interval-runner';
import { ReviewService } from './review/review-service';
import { KyselyReviewStore } from './storage/review-repository';

/** A running Brevet: its HTTP server and what must be closed on shutdown. */
export interface Brevet {
  server: Server;
  storage: Storage;
  worker: DeliveryWorker;
  schedules: ScheduleRunner;
  reminders: ReminderService;
  close(): Promise<void>;
}

export interface BrevetOptions {
  /** The time source of the domain (tests move it). */
  clock?: () => Date;
  /** PostgreSQL schema (tests isolate themselves). */
  postgresSchema?: string;
  /**
   * Where Microsoft's services are (default: Microsoft's). Tests point them at loopback
   * stand-ins; see service-endpoints.ts.
   */
  endpoints?: ServiceEndpoints;
  /** Tests: the PEM certificate of the Entra stand-in (endpoints.entraAuthorityHost) to trust. */
  entraCertificate?: string;
  /** Start the delivery worker and the schedule runner (default true). */
  background?: boolean;
  /** Delivery tuning for tests (a short lease to test crash recovery, fast backoff). */
  delivery?: {
    leaseMs?: number;
    idleMs?: number;
    beatMs?: number;
    scheduleIntervalMs?: number;
    reminderIntervalMs?: number;
    purgeIntervalMs?: number;
  };
}

/** Builds the whole app from configuration: storage, domain services, bot, HTTP server. */
export async function createBrevet(
  config: AppConfig,
  logger: Logger,
  options: BrevetOptions = {},
): Promise<Brevet> {
  const endpoints = options.endpoints ?? MICROSOFT_ENDPOINTS;
  const policy = endpointPolicy(config, endpoints);
  const programme = loadProgramme(projectPath(config.CONTENT_DIR));
  const storage = await openStorage({
    databaseUrl: config.DATABASE_URL,
    sqlitePath: config.SQLITE_PATH,
    postgresSchema: options.postgresSchema,
  });
  const dashboard = new DashboardService(
    programme,
    new KyselyDashboardStore(storage.db, storage.dialect),
    { population: config.PROGRAMME_POPULATION, clock: options.clock },
  );
  // The dashboard's totals per lesson and phase follow the curriculum's shape (migration 007).
  if (await dashboard.syncProgramme())
    logger.info('dashboard totals rebuilt for the current curriculum');
  const reminders = new ReminderService(
    programme,
    new KyselyReminderStore(storage.db),
    options.clock,
  );
  const onActivity = (learner: LearnerRecord, at: Date) => reminders.recordActivity(learner, at);
  const reviews = new ReviewService(
    programme,
    new KyselyReviewStore(storage.db),
    options.clock,
    onActivity,
  );
  const learning = new LearningService(
    programme,
    new KyselyLearningStore(storage.db),
    options.clock,
    {
      onFirstAnswer: (learnerId, answer, at) =>
        reviews.firstAnswer(learnerId, answer.lessonId, answer.questionId, answer.correct, at),
      onActivity,
    },
  );
  const teamOwners = createTeamOwnerDirectory(config, endpoints, options.entraCertificate);
  const units = new UnitService(
    programme,
    new KyselyUnitStore(storage.db, storage.dialect),
    config.ADMIN_AAD_OBJECT_IDS,
    options.clock,
    teamOwners && { directory: teamOwners, logger },
  );
  const adapter = createAdapter(config, logger, endpoints);
  const botId = config.BOT_ID ?? '';
  const outbox = new KyselyOutboxStore(storage.db, storage.dialect);
  const connector = new BotConnectorClient({
    botId,
    endpointPolicy: policy,
    getToken: async () => {
      if (!config.BOT_ID) return undefined;
      const credentials = (await adapter.credentialsFactory.createCredentials(
        config.BOT_ID,
        'https://api.botframework.com',
        `https://login.microsoftonline.com/${config.BOT_TYPE === 'SingleTenant' ? config.BOT_TENANT_ID : 'botframework.com'}`,
        true,
      )) as { getToken?: () => Promise<string> };
      return credentials.getToken?.();
    },
  });
  const worker: DeliveryWorker = new DeliveryWorker({
    store: outbox,
    sender: createOutboxSender({ client: connector, programme, units }),
    logger,
    ratePerSecond: config.TEAMS_GLOBAL_RPS,
    leaseMs: options.delivery?.leaseMs,
    idleMs: options.delivery?.idleMs,
    beatMs: options.delivery?.beatMs,
    now: options.clock,
    onAssignmentFinished: async (assignmentId) => {
      const summaries = await units.assignmentSummaries(assignmentId);
      if (summaries.length === 0) return;
      await outbox.enqueue(summaries, (options.clock?.() ?? new Date()).toISOString());
      worker.poke();
    },
  });
  const schedules = new ScheduleRunner({
    units,
    adapter,
    botId,
    workerId: worker.id,
    logger,
    intervalMs: options.delivery?.scheduleIntervalMs,
    onEnqueued: () => worker.poke(),
  });
  const personalData = new PersonalDataService(
    new KyselyPersonalDataStore(storage.db),
    options.clock,
  );
  const bot = createBotApp(adapter, botId, {
    learning,
    programme,
    logger,
    allowedTenantIds: config.ALLOWED_TENANT_IDS,
    units,
    reviews,
    reminders,
    personalData,
    clock: options.clock ?? (() => new Date()),
    delivery: worker,
    endpointPolicy: policy,
  });
  const reminderRunner = new IntervalRunner(
    async () => {
      const { enqueued } = await reminders.runPass();
      if (enqueued > 0) {
        logger.info({ enqueued }, 'reminders enqueued');
        worker.poke();
      }
    },
    options.delivery?.reminderIntervalMs ?? 5 * 60_000,
    logger,
  );
  // Messages settled for good leave the outbox after the retention period (their display names
  // with them); a finished assignment keeps its counts.
  const purgeRunner = new IntervalRunner(
    async () => {
      const now = options.clock?.() ?? new Date();
      const before = new Date(now.getTime() - config.OUTBOX_RETENTION_DAYS * 86_400_000);
      const purged = await outbox.purgeFinished(before.toISOString());
      if (purged > 0) logger.info({ purged }, 'outbox messages past retention deleted');
    },
    options.delivery?.purgeIntervalMs ?? 60 * 60_000,
    logger,
  );
  const verifySso =
    config.AAD_APP_CLIENT_ID && config.AAD_APP_TENANT_ID
      ? createSsoVerifier({
          clientId: config.AAD_APP_CLIENT_ID,
          tenantId: config.AAD_APP_TENANT_ID,
          allowedTenantIds: config.ALLOWED_TENANT_IDS,
          metadataUrl: endpoints.entraOpenIdMetadataUrl,
        })
      : undefined;
  const server = createServer({
    adapter,
    bot,
    isHealthy: () => storage.isWritable(),
    metrics: createMetrics(),
    logger,
    endpointPolicy: policy,
    routes: [
      (s) =>
        registerTabRoutes(s, {
          learning,
          reviews,
          reminders,
          programme,
          verifySso,
          botId: config.BOT_ID,
          tabDir: projectPath('tab', 'dist'),
          logger,
        }),
      (s) => registerPersonalDataRoutes(s, { verifySso, logger, personalData }),
      (s) =>
        registerProgrammeRoutes(s, {
          verifySso,
          logger,
          dashboard,
          programme,
          adminIds: config.ADMIN_AAD_OBJECT_IDS,
          clock: options.clock,
        }),
    ],
  });
  if (options.background ?? true) {
    worker.start();
    schedules.start();
    reminderRunner.start();
    purgeRunner.start();
  }
  return {
    server,
    storage,
    worker,
    schedules,
    reminders,
    async close() {
      server.close();
      await reminderRunner.stop();
      await purgeRunner.stop();
      await schedules.stop();
      await worker.stop();
      await storage.close();
    },
  };
}
