/**
 * The provisioning files agree with the app and with each other: the variables the app's config
 * accepts (CONFIG_VARIABLES, src/config.ts) against what infra/azure.bicep sets as app settings
 * and what teamsapp.local.yml writes for a local run; every ${{VAR}} the toolkit files use is
 * declared in the env files or produced by an earlier step; no secret is committed.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseEnvFile } from 'dotenv';
import { parse as parseYaml } from 'yaml';
import { CONFIG_VARIABLES } from '../../src/config';
import { TEST_ENDPOINT_VARIABLES } from '../../src/service-endpoints';
import { placeholdersIn, ROOT } from '../../scripts/package-app';

const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

/** Test-only (README "Configuration", src/service-endpoints.ts): provisioning never sets them. */
const TEST_ONLY: readonly string[] = TEST_ENDPOINT_VARIABLES;
/** Set by Azure App Service itself for managed identities: provisioning never sets them. */
const PLATFORM = ['IDENTITY_ENDPOINT', 'IDENTITY_HEADER'];
const NOT_PROVISIONED = [...TEST_ONLY, ...PLATFORM];
/**
 * Their defaults are right everywhere (LOG_LEVEL info, CONTENT_DIR content, 30 days of outbox;
 * without PROGRAMME_POPULATION the dashboard compares with learners enrolled): optional.
 */
const OPTIONAL = ['CONTENT_DIR', 'LOG_LEVEL', 'OUTBOX_RETENTION_DAYS', 'PROGRAMME_POPULATION'];
/**
 * Not set in Azure, on purpose: App Service gives the app its PORT; the database is PostgreSQL
 * (DATABASE_URL), not a SQLite file; the bot signs in with its managed identity, no password.
 */
const NOT_IN_AZURE = ['PORT', 'SQLITE_PATH', 'BOT_PASSWORD'];
/**
 * Not set for a local run: SQLite; a multi-tenant bot app (no tenant needed); no admin unless the
 * developer adds their own object id to build/local.env (env/.env.local says how).
 */
const NOT_LOCAL = ['DATABASE_URL', 'BOT_TENANT_ID', 'ADMIN_AAD_OBJECT_IDS'];
/** App settings for App Service itself, which the app does not read. */
const APP_SERVICE_SETTINGS = [
  'SCM_DO_BUILD_DURING_DEPLOYMENT', // build on Linux at deploy (npm install, npm run build)
  'APPLICATIONINSIGHTS_CONNECTION_STRING', // Application Insights auto-instrumentation
  'ApplicationInsightsAgent_EXTENSION_VERSION',
  'WEBSITE_HEALTHCHECK_MAXPINGFAILURES', // health check on /healthz
];
/** Variables the toolkit itself defines or asks for. */
const TOOLKIT_BUILT_INS = [
  'TEAMSFX_ENV',
  'APP_NAME_SUFFIX',
  'AZURE_SUBSCRIPTION_ID',
  'AZURE_RESOURCE_GROUP_NAME',
  'RESOURCE_SUFFIX',
];

const bicep = read('infra/azure.bicep');
const parameters = JSON.parse(read('infra/azure.parameters.json')).parameters as Record<
  string,
  { value: unknown }
>;
const teamsapp = parseYaml(read('teamsapp.yml'));
const teamsappLocal = parseYaml(read('teamsapp.local.yml'));
const envFile = (env: string) => parseEnvFile(read(`env/.env.${env}`));

function bicepAppSettings(): string[] {
  const block = /\/\/ BEGIN appSettings[\s\S]*?\/\/ END appSettings/.exec(bicep)?.[0] ?? '';
  return [...block.matchAll(/name: '([A-Za-z_][A-Za-z0-9_]*)'/g)].map((m) => m[1] as string);
}

function bicepParams(): { name: string; hasDefault: boolean }[] {
  return [...bicep.matchAll(/^param (\w+) \w+( = .+)?$/gm)].map((m) => ({
    name: m[1] as string,
    hasDefault: m[2] !== undefined,
  }));
}

const bicepOutputs = () => [...bicep.matchAll(/^output (\w+) /gm)].map((m) => m[1] as string);

interface Step {
  uses: string;
  with?: Record<string, unknown>;
  writeToEnvironmentFile?: Record<string, string>;
}
const steps = (project: any): Step[] =>
  ['provision', 'deploy', 'publish'].flatMap((stage) => (project[stage] ?? []) as Step[]);

function localRunSettings(): Record<string, unknown> {
  const step = steps(teamsappLocal).find((s) => s.uses === 'file/createOrUpdateEnvironmentFile');
  return (step?.with?.envs ?? {}) as Record<string, unknown>;
}

const accepted = new Set(CONFIG_VARIABLES);
const without = (names: readonly string[], ...lists: string[][]) =>
  names.filter((name) => !lists.flat().includes(name));

describe('the app settings match the configuration the app accepts', () => {
  it('src/config.ts exports the names it accepts', () => {
    expect(CONFIG_VARIABLES).toEqual(expect.arrayContaining(['BOT_ID', 'DATABASE_URL', 'PORT']));
  });

  it('infra/azure.bicep sets only names the app accepts (or App Service reads)', () => {
    const unknown = bicepAppSettings().filter(
      (name) => !accepted.has(name) && !APP_SERVICE_SETTINGS.includes(name),
    );
    expect(unknown).toEqual([]);
  });

  it('infra/azure.bicep sets every setting the app needs in Azure', () => {
    const settings = bicepAppSettings();
    const needed = without(CONFIG_VARIABLES, NOT_PROVISIONED, OPTIONAL, NOT_IN_AZURE);
    expect(needed.filter((name) => !settings.includes(name))).toEqual([]);
    expect(settings.filter((name) => NOT_IN_AZURE.includes(name))).toEqual([]);
  });

  it('teamsapp.local.yml writes only names the app accepts, and all it needs locally', () => {
    const names = Object.keys(localRunSettings());
    expect(names.filter((name) => !accepted.has(name))).toEqual([]);
    const needed = without(CONFIG_VARIABLES, NOT_PROVISIONED, OPTIONAL, NOT_LOCAL);
    expect(needed.filter((name) => !names.includes(name))).toEqual([]);
    // The local run file is in build/ (git-ignored): it holds the bot password.
    const target = steps(teamsappLocal).find((s) => s.uses === 'file/createOrUpdateEnvironmentFile')
      ?.with?.target;
    expect(target).toMatch(/^\.\/build\//);
    expect(read('.gitignore')).toMatch(/^build\/$/m);
  });

  it('the test-only variables are set nowhere', () => {
    const everywhere = [
      ...bicepAppSettings(),
      ...Object.keys(localRunSettings()),
      ...['dev', 'local', 'playground'].flatMap((env) => Object.keys(envFile(env))),
      ...placeholdersIn(read('infra/azure.parameters.json')),
    ];
    expect(everywhere.filter((name) => NOT_PROVISIONED.includes(name))).toEqual([]);
  });

  it('every config variable is set somewhere: Azure, the local run or the env files', () => {
    const set = new Set([
      ...bicepAppSettings(),
      ...Object.keys(localRunSettings()),
      ...['dev', 'local'].flatMap((env) => Object.keys(envFile(env))),
    ]);
    expect(
      without(CONFIG_VARIABLES, NOT_PROVISIONED, OPTIONAL).filter((name) => !set.has(name)),
    ).toEqual([]);
  });
});

describe('every ${{VAR}} has a source', () => {
  /** Names an earlier step writes: writeToEnvironmentFile, and the bicep outputs for arm/deploy. */
  function produced(project: any): string[] {
    return steps(project).flatMap((step) => [
      ...Object.values(step.writeToEnvironmentFile ?? {}),
      ...(step.uses === 'arm/deploy' ? bicepOutputs() : []),
      ...(step.uses === 'teamsApp/create' || step.uses === 'teamsApp/update'
        ? ['TEAMS_APP_TENANT_ID']
        : []),
      ...(step.uses === 'aadApp/update' ? ['AAD_APP_ACCESS_AS_USER_PERMISSION_ID'] : []),
    ]);
  }

  /** The files an environment's project file fills in (besides itself). */
  function templatesOf(project: any): string[] {
    const files = new Set<string>([
      'manifest/manifest.json',
      'manifest/fr.json',
      'manifest/nl.json',
      'manifest/de.json',
    ]);
    for (const step of steps(project)) {
      const w = step.with ?? {};
      if (typeof w.manifestPath === 'string' && w.manifestPath.includes('aad'))
        files.add(path.normalize(w.manifestPath));
      for (const template of (w.templates ?? []) as { parameters?: string }[])
        if (template.parameters) files.add(path.normalize(template.parameters));
    }
    return [...files];
  }

  it.each([
    ['dev', 'teamsapp.yml', teamsapp],
    ['local', 'teamsapp.local.yml', teamsappLocal],
  ])('env/.env.%s declares what %s and its templates use', (env, file, project) => {
    const declared = Object.keys(envFile(env));
    const sources = new Set([...declared, ...produced(project), ...TOOLKIT_BUILT_INS]);
    const used = [file, ...templatesOf(project)].flatMap((f) =>
      placeholdersIn(read(f)).map((name) => [f, name] as const),
    );
    const secrets = used.filter(([, name]) => name.startsWith('SECRET_'));
    const missing = used.filter(([, name]) => !name.startsWith('SECRET_') && !sources.has(name));
    expect(missing).toEqual([]);
    // A secret is written by a step, or the env file tells where to put it (its .user file).
    const envText = read(`env/.env.${env}`);
    for (const [f, name] of secrets)
      expect([f, name, produced(project).includes(name) || envText.includes(name)]).toEqual([
        f,
        name,
        true,
      ]);
  });

  // The toolkit refuses a placeholder whose variable is empty (arm/deploy: "missing environment
  // variables"); only APP_NAME_SUFFIX may be empty. So every variable a step or the parameters use
  // is produced by an earlier step, asked for or generated by the toolkit, has a committed value,
  // or is one the person provisioning must set (and the env file says so).
  it.each([
    ['dev', teamsapp, ['ADMIN_AAD_OBJECT_IDS']],
    ['local', teamsappLocal, ['BOT_ENDPOINT', 'BOT_DOMAIN']],
  ] as const)(
    'env/.env.%s leaves empty only what a step fills or you must set',
    (env, project, yours) => {
      const values = envFile(env);
      const envText = read(`env/.env.${env}`);
      const usedByToolkit = [
        env === 'dev' ? 'teamsapp.yml' : 'teamsapp.local.yml',
        ...templatesOf(project),
      ].flatMap((file) => placeholdersIn(read(file)));
      const unfilled = usedByToolkit.filter(
        (name) =>
          !name.startsWith('SECRET_') &&
          name !== 'APP_NAME_SUFFIX' &&
          !TOOLKIT_BUILT_INS.includes(name) &&
          !produced(project).includes(name) &&
          !values[name],
      );
      expect([...new Set(unfilled)].sort()).toEqual([...yours].sort());
      for (const name of yours) expect(envText).toMatch(new RegExp(`#.*${name}|${name}.*\\n#`));
    },
  );

  it('env/.env.dev lists every output of infra/azure.bicep', () => {
    const declared = Object.keys(envFile('dev'));
    expect(bicepOutputs().filter((name) => !declared.includes(name))).toEqual([]);
  });

  it('infra/azure.parameters.json and the bicep params match', () => {
    const params = bicepParams();
    const names = params.map((p) => p.name);
    expect(Object.keys(parameters).filter((name) => !names.includes(name))).toEqual([]);
    const required = params.filter((p) => !p.hasDefault).map((p) => p.name);
    expect(required.filter((name) => !(name in parameters))).toEqual([]);
  });

  it('every variable in the env files is used, produced or built in', () => {
    const used = new Set(
      [
        'teamsapp.yml',
        'teamsapp.local.yml',
        'infra/azure.parameters.json',
        'infra/aad.manifest.json',
        'manifest/manifest.json',
      ].flatMap((file) => placeholdersIn(read(file))),
    );
    const known = new Set([
      ...used,
      ...produced(teamsapp),
      ...produced(teamsappLocal),
      ...TOOLKIT_BUILT_INS,
      'TEAMSAPPTESTER_PORT', // the Agents Playground's port
      'BOT_ENDPOINT', // where the Agents Playground and the bot registration find the bot
    ]);
    for (const env of ['dev', 'local', 'playground'])
      expect([env, Object.keys(envFile(env)).filter((name) => !known.has(name))]).toEqual([
        env,
        [],
      ]);
  });
});

describe('no secret is committed', () => {
  it.each(['dev', 'local', 'playground'])('env/.env.%s holds no secret', (env) => {
    const values = envFile(env);
    expect(Object.keys(values).filter((name) => name.startsWith('SECRET_'))).toEqual([]);
    expect(
      Object.entries(values).filter(
        ([name, value]) =>
          /PASSWORD|SECRET|KEY$|TOKEN|CONNECTION_STRING/.test(name) && value !== '',
      ),
    ).toEqual([]);
  });

  it('.gitignore keeps the env/.env.*.user files out of git', () => {
    expect(read('.gitignore')).toMatch(/^env\/\.env\.\*\.user$/m);
  });

  it('secrets reach Azure as secure parameters and Key Vault, not as plain settings', () => {
    expect(parameters.postgresAdminPassword?.value).toBe('${{SECRET_POSTGRES_ADMIN_PASSWORD}}');
    expect(bicep).toMatch(/@secure\(\)\n(@\w+\(.*\)\n)*param postgresAdminPassword string$/m);
    expect(bicep).toMatch(
      /name: 'DATABASE_URL'\n\s*value: '@Microsoft\.KeyVault\(SecretUri=\$\{databaseUrlSecret\.properties\.secretUri\}\)'/,
    );
  });
});

describe('the Azure resources', () => {
  it('runs Node 20 on Linux App Service with the start script (no build), a health check and 2 instances', () => {
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    expect(bicep).toContain("linuxFxVersion: 'NODE|20-lts'");
    // What `npm start` runs once built, without its prestart: a restart never compiles.
    expect(pkg.scripts.start).toMatch(/^node .*dist\/src\/index\.js$/);
    expect(bicep).toContain(`appCommandLine: '${pkg.scripts.start}'`);
    expect(bicep).toContain("healthCheckPath: '/healthz'");
    expect(bicep).toMatch(/reserved: true/);
    expect(bicep).toMatch(/capacity: instanceCount/);
    expect(parameters.instanceCount?.value).toBeGreaterThanOrEqual(2);
  });

  it('has an Azure Bot on the managed identity, with the Teams channel', () => {
    expect(bicep).toContain("'Microsoft.BotService/botServices@");
    expect(bicep).toContain("msaAppType: 'UserAssignedMSI'");
    expect(bicep).toContain(
      "endpoint: 'https://${webApp.properties.defaultHostName}/api/messages'",
    );
    expect(bicep).toContain("channelName: 'MsTeamsChannel'");
  });

  it('has PostgreSQL flexible server, Key Vault and Application Insights', () => {
    expect(bicep).toContain("'Microsoft.DBforPostgreSQL/flexibleServers@");
    expect(bicep).toContain("'Microsoft.KeyVault/vaults@");
    expect(bicep).toContain("'Microsoft.Insights/components@");
    expect(bicep).toMatch(/sslmode=verify-full/);
  });

  it("the tab SSO app exposes access_as_user at the manifest's webApplicationInfo.resource", () => {
    const aad = JSON.parse(read('infra/aad.manifest.json'));
    const manifest = JSON.parse(read('manifest/manifest.json'));
    expect(aad.identifierUris).toEqual([manifest.webApplicationInfo.resource]);
    expect(aad.appId).toBe(manifest.webApplicationInfo.id);
    expect(aad.oauth2Permissions.map((p: any) => p.value)).toEqual(['access_as_user']);
    // Teams desktop/mobile and Teams web are pre-authorized: no consent prompt in the tab.
    expect(aad.preAuthorizedApplications.map((a: any) => a.appId)).toEqual(
      expect.arrayContaining([
        '1fec8e78-bce4-4aaf-ab1b-5451cc387264',
        '5e3ce6c0-2b1f-4285-8d4b-75ee78787346',
      ]),
    );
  });

  it('provision, deploy and publish are all there, in toolkit format', () => {
    for (const project of [teamsapp, teamsappLocal]) {
      expect(project.version).toMatch(/^v1\.\d+$/);
      expect(project.environmentFolderPath).toBe('./env');
    }
    expect(Object.keys(teamsapp)).toEqual(
      expect.arrayContaining(['provision', 'deploy', 'publish']),
    );
    const uses = (stage: string) => (teamsapp[stage] as Step[]).map((step) => step.uses);
    expect(uses('provision')).toEqual(
      expect.arrayContaining([
        'teamsApp/create',
        'aadApp/create',
        'arm/deploy',
        'teamsApp/validateManifest',
        'teamsApp/zipAppPackage',
        'teamsApp/update',
      ]),
    );
    expect(uses('deploy')).toEqual(expect.arrayContaining(['azureAppService/zipDeploy']));
    expect(uses('publish')).toEqual(expect.arrayContaining(['teamsApp/publishAppPackage']));
  });
});
