import { randomUUID } from 'node:crypto';
import { type AddressInfo } from 'node:net';
import path from 'node:path';
import { createBrevet, type Brevet, type BrevetOptions } from '../src/app';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { MICROSOFT_ENDPOINTS } from '../src/service-endpoints';
import { startTokenIssuer, type TokenIssuer } from '../tests/support/token-issuer';
import { dropPostgresSchema, POSTGRES_URL, type BenchDatabase } from './common';

/**
 * The real app in the bench's own process, with tab SSO checked against a loopback Entra
 * stand-in (tests/support/token-issuer.ts): the setting of the benches that measure the tab's
 * APIs (bench/progress.ts, bench/dashboard.ts). On SQLite (a file in `workDir`) or on a fresh
 * PostgreSQL schema, dropped at `close`.
 */
export interface SsoApp {
  brevet: Brevet;
  /** Listens on 127.0.0.1 and returns `http://127.0.0.1:<port>` (after seeding). */
  listen(): Promise<string>;
  /** A Teams SSO token for a learner or admin of the tenant. */
  token(oid: string): Promise<string>;
  close(): Promise<void>;
}

/** The Entra stand-in the SSO apps of one bench run share; `tenant` is the app's tenant. */
export function startEntraStandIn(tenant: string): Promise<TokenIssuer> {
  return startTokenIssuer({
    issuer: `https://login.microsoftonline.com/${tenant}/v2.0`,
    keys: [{ kid: 'bench-1' }],
  });
}

export async function openSsoApp(settings: {
  database: BenchDatabase;
  workDir: string;
  issuer: TokenIssuer;
  tenant: string;
  clientId: string;
  /** Further app settings (CONTENT_DIR, ADMIN_AAD_OBJECT_IDS…). */
  env?: Record<string, string | undefined>;
  options?: Omit<BrevetOptions, 'postgresSchema' | 'endpoints'>;
}): Promise<SsoApp> {
  const { database, issuer, tenant, clientId } = settings;
  const schema = `brevet_bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const config = loadConfig({
    LOG_LEVEL: 'warn',
    SQLITE_PATH: path.join(settings.workDir, `${schema}.sqlite`),
    DATABASE_URL: database === 'postgres' ? POSTGRES_URL : undefined,
    AAD_APP_CLIENT_ID: clientId,
    AAD_APP_TENANT_ID: tenant,
    ...settings.env,
  });
  const brevet = await createBrevet(config, createLogger('warn'), {
    ...settings.options,
    endpoints: { ...MICROSOFT_ENDPOINTS, entraOpenIdMetadataUrl: issuer.metadataUrl },
    postgresSchema: database === 'postgres' ? schema : undefined,
  });
  return {
    brevet,
    async listen() {
      await new Promise<void>((resolve) => brevet.server.listen(0, '127.0.0.1', () => resolve()));
      return `http://127.0.0.1:${(brevet.server.address() as AddressInfo).port}`;
    },
    token: (oid) =>
      issuer.sign({ aud: clientId, tid: tenant, oid, scp: 'access_as_user', ver: '2.0' }),
    async close() {
      await brevet.close();
      if (database === 'postgres') await dropPostgresSchema(schema);
    },
  };
}
