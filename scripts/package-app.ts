/**
 * Builds the Teams app package: build/appPackage.<env>.zip.
 *
 *   npm run package                 every environment in env/ whose values are all set
 *   npm run package -- --env dev    that environment only (missing values are an error)
 *
 * Placeholders `${{NAME}}` in manifest/manifest.json and the localization files take their value
 * from, lowest to highest precedence: env/.env.<env>, env/.env.<env>.user, then the process
 * environment (a non-empty value there wins, as in CI). The result is validated offline before it
 * is zipped: the JSON schemas bundled in @microsoft/app-manifest (every error listed), the icons
 * (size, transparency), the localization keys, and the tab URLs against validDomains.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import AdmZip from 'adm-zip';
import AjvDraft04, { type ValidateFunction } from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { parse as parseEnvFile } from 'dotenv';
import { PNG } from 'pngjs';

export const ROOT = path.resolve(__dirname, '..');
export const MANIFEST_DIR = 'manifest';
export const ENV_DIR = 'env';
export const OUTPUT_DIR = 'build';

/** The oldest manifest schema Brevet accepts (issue 7: "1.24 or newer"). */
export const MIN_SCHEMA_VERSION = [1, 24] as const;
const MANIFEST_SCHEMA_URL =
  /^https:\/\/developer\.microsoft\.com\/json-schemas\/teams\/v(\d+)\.(\d+)\/MicrosoftTeams\.schema\.json$/;
const LOCALIZATION_SCHEMA_URL =
  /^https:\/\/developer\.microsoft\.com\/json-schemas\/teams\/v(\d+)\.(\d+)\/MicrosoftTeams\.Localization\.schema\.json$/;

/**
 * Icon sizes Teams requires
 * (https://learn.microsoft.com/microsoftteams/platform/concepts/build-and-test/apps-package).
 */
export const ICON_SIZES = { color: 192, outline: 32 } as const;

const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** Thrown when a package cannot be built; the message lists every problem. */
export class PackageError extends Error {
  constructor(
    message: string,
    readonly problems: string[],
    /** Variables with no value, when that is why the package could not be built. */
    readonly missing: string[] = [],
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------------------------------------
// Environment files
// ---------------------------------------------------------------------------------------------

/** The environments that have an env/.env.<name> file (not the .user files). */
export function listEnvironments(root = ROOT): string[] {
  const dir = path.join(root, ENV_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((file) => /^\.env\.([A-Za-z0-9_-]+)$/.exec(file)?.[1])
    .filter((name): name is string => name !== undefined)
    .sort();
}

/**
 * The values for one environment: env file, then its .user file, then the process environment.
 * dotenv reads the files rather than node:util's parseEnv, which Node 20 has only from 20.12 and
 * which there glues a line without `=` to the next line's key.
 */
export function loadEnvironment(
  env: string,
  options: { root?: string; processEnv?: NodeJS.ProcessEnv } = {},
): Record<string, string> {
  const root = options.root ?? ROOT;
  const file = path.join(root, ENV_DIR, `.env.${env}`);
  if (!existsSync(file)) {
    const known = listEnvironments(root);
    throw new PackageError(`unknown environment "${env}"`, [
      `${path.relative(root, file)} does not exist (environments: ${known.join(', ') || 'none'})`,
    ]);
  }
  const values = parseEnvFile(readFileSync(file, 'utf8'));
  const userFile = `${file}.user`;
  if (existsSync(userFile)) Object.assign(values, parseEnvFile(readFileSync(userFile, 'utf8')));
  for (const [key, value] of Object.entries(options.processEnv ?? process.env)) {
    if (value !== undefined && value !== '') values[key] = value;
  }
  return values;
}

// ---------------------------------------------------------------------------------------------
// Placeholders
// ---------------------------------------------------------------------------------------------

/** The distinct placeholder names in a text, in order of appearance. */
export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((match) => match[1] as string))];
}

/**
 * Replaces every `${{NAME}}`. Values are JSON-escaped, since the templates are JSON files.
 * A name with no value is left in place and reported; so is an empty value for a placeholder that
 * is a whole JSON string (`"${{TEAMS_APP_ID}}"`: an empty field is never right), while an empty
 * value inside a longer string is fine (`"Brevet${{APP_NAME_SUFFIX}}"`).
 */
export function resolvePlaceholders(
  text: string,
  values: Record<string, string | undefined>,
): { text: string; missing: string[] } {
  const missing = new Set<string>();
  const resolved = text.replace(PLACEHOLDER, (whole, name: string, offset: number) => {
    const value = values[name];
    const wholeString = text[offset - 1] === '"' && text[offset + whole.length] === '"';
    if (value === undefined || (value === '' && wholeString)) {
      missing.add(name);
      return whole;
    }
    return JSON.stringify(value).slice(1, -1);
  });
  return { text: resolved, missing: [...missing] };
}

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

/** One file of the app package. */
export interface PackageFile {
  name: string;
  data: Buffer;
}

type Json = Record<string, unknown>;

function schemaDir(): string {
  const packageJson = require.resolve('@microsoft/app-manifest/package.json');
  return path.join(path.dirname(packageJson), 'build', 'json-schemas', 'teams');
}

/**
 * Loads a Teams JSON schema bundled in @microsoft/app-manifest (never from the network).
 * The schemas contain `\a` and `\v` escapes that JSON does not allow: replaced as the package does.
 */
export function loadBundledSchema(version: string, file: string): Json {
  const schemaPath = path.join(schemaDir(), `v${version}`, file);
  if (!existsSync(schemaPath))
    throw new PackageError(`schema v${version} is not bundled`, [
      `@microsoft/app-manifest has no ${file} for v${version}; use a bundled version (${readdirSync(
        schemaDir(),
      ).join(', ')})`,
    ]);
  const raw = readFileSync(schemaPath, 'utf8')
    .replace(/\\a/g, '\\u0007')
    .replace(/\\v/g, '\\u000b');
  return JSON.parse(raw) as Json;
}

const validators = new Map<string, ValidateFunction>();

/**
 * Validates a document against a bundled schema as @microsoft/app-manifest's
 * AppManifestUtils.validateAgainstSchema does: ajv-draft-04 with ajv-formats (uri, email, regex),
 * allErrors (every error, not just the first), strictTypes off, errors in the same format.
 * The function itself is not called: the package's entry point requires an ES module (strip-bom 5)
 * that jest cannot load on Node 20, and it cannot compile the localization schemas, whose key
 * patterns (`activityTypes\[\b(...)\b]`) are not valid unicode regular expressions; for those,
 * ajv gets `unicodeRegExp: false`.
 */
function schemaErrors(document: Json, schema: Json, cacheKey: string, where: string): string[] {
  let validate = validators.get(cacheKey);
  if (!validate) {
    const ajv = new AjvDraft04({
      allErrors: true,
      strictTypes: false,
      ...(cacheKey.includes('Localization') ? { unicodeRegExp: false } : {}),
    });
    addFormats(ajv, ['uri', 'email', 'regex']);
    validate = ajv.compile(schema);
    validators.set(cacheKey, validate);
  }
  if (validate(JSON.parse(JSON.stringify(document)))) return [];
  return (validate.errors ?? []).map(
    (error) =>
      `${where}: ${error.instancePath} ${error.message ?? ''}. Details: ${JSON.stringify(error.params)}`,
  );
}

function schemaVersion(url: unknown, pattern: RegExp): [number, number] | undefined {
  const match = typeof url === 'string' ? pattern.exec(url) : null;
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

/** Follows a localization key such as `bots[0].commandLists[1].commands[2].title`. */
export function valueAtPath(document: unknown, key: string): unknown {
  let current: unknown = document;
  for (const part of key.match(/[^.[\]]+/g) ?? []) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function parseJson(file: PackageFile | undefined, problems: string[]): Json | undefined {
  if (!file) return undefined;
  try {
    const value = JSON.parse(file.data.toString('utf8').replace(/^\uFEFF/, '')) as unknown;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      problems.push(`${file.name}: not a JSON object`);
      return undefined;
    }
    return value as Json;
  } catch (error) {
    problems.push(`${file.name}: invalid JSON (${(error as Error).message})`);
    return undefined;
  }
}

/**
 * The 8 bytes every PNG file starts with. Checked first because pngjs's synchronous reader reports
 * a file that is no PNG at all as "unrecognised content at end of stream".
 */
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The alpha of one pixel of a decoded PNG (pngjs gives every image as 8-bit RGBA). */
export function alphaAt(image: PNG, x: number, y: number): number {
  return image.data[(y * image.width + x) * 4 + 3] as number;
}

/** Checks an icon's size and, for the outline icon, that it is white on transparent. */
export function iconProblems(kind: 'color' | 'outline', file: PackageFile): string[] {
  const size = ICON_SIZES[kind];
  if (!file.data.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE))
    return [`${file.name}: not a PNG file (bad signature)`];
  let image: PNG;
  try {
    image = PNG.sync.read(file.data);
  } catch (error) {
    return [`${file.name}: not a readable PNG (${(error as Error).message})`];
  }
  const problems: string[] = [];
  if (image.width !== size || image.height !== size)
    problems.push(
      `${file.name}: the ${kind} icon must be ${size}x${size} pixels, not ${image.width}x${image.height}`,
    );
  let opaque = 0;
  let notWhite = 0;
  const { data } = image;
  for (let i = 0; i < data.length; i += 4) {
    const a = data[i + 3] as number;
    if (a === 255) opaque++;
    if (a > 0 && (data[i] !== 255 || data[i + 1] !== 255 || data[i + 2] !== 255)) notWhite++;
  }
  if (opaque === 0) problems.push(`${file.name}: the ${kind} icon has no opaque pixel`);
  if (kind === 'outline') {
    const last = size - 1;
    const corners = [
      [0, 0],
      [last, 0],
      [0, last],
      [last, last],
    ] as const;
    if (corners.some(([x, y]) => alphaAt(image, x, y) !== 0))
      problems.push(`${file.name}: the outline icon needs a transparent background`);
    if (notWhite > 0)
      problems.push(
        `${file.name}: the outline icon must be white on transparent (${notWhite} visible pixels are not white)`,
      );
  }
  return problems;
}

function hostOf(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  try {
    return new URL(url.replace(/\{[A-Za-z.]+\}/g, 'x')).host;
  } catch {
    return undefined;
  }
}

function domainAllowed(host: string, validDomains: string[]): boolean {
  return validDomains.some((domain) =>
    domain.startsWith('*.') ? host.endsWith(domain.slice(1)) : host === domain,
  );
}

/**
 * Validates the files of an app package (resolved manifest, localization files, icons) and
 * returns every problem found; an empty list means the package is good.
 */
export async function validatePackageFiles(files: PackageFile[]): Promise<string[]> {
  const problems: string[] = [];
  const byName = new Map(files.map((file) => [file.name, file]));
  const manifestFile = byName.get('manifest.json');
  if (!manifestFile) return ['manifest.json is missing'];
  const manifest = parseJson(manifestFile, problems);
  if (!manifest) return problems;

  for (const file of files) {
    if (file.name.endsWith('.json') && placeholdersIn(file.data.toString('utf8')).length > 0)
      problems.push(
        `${file.name}: unresolved placeholders ${placeholdersIn(file.data.toString('utf8')).join(', ')}`,
      );
  }

  // The manifest against the schema its $schema names, bundled in @microsoft/app-manifest.
  const version = schemaVersion(manifest.$schema, MANIFEST_SCHEMA_URL);
  if (!version) {
    problems.push(
      `manifest.json: $schema must be the official URL https://developer.microsoft.com/json-schemas/teams/v1.NN/MicrosoftTeams.schema.json, not ${JSON.stringify(manifest.$schema)}`,
    );
    return problems;
  }
  const versionText = `${version[0]}.${version[1]}`;
  if (
    version[0] < MIN_SCHEMA_VERSION[0] ||
    (version[0] === MIN_SCHEMA_VERSION[0] && version[1] < MIN_SCHEMA_VERSION[1])
  )
    problems.push(
      `manifest.json: schema v${versionText} is older than v${MIN_SCHEMA_VERSION.join('.')}`,
    );
  if (manifest.manifestVersion !== versionText)
    problems.push(
      `manifest.json: manifestVersion ${JSON.stringify(manifest.manifestVersion)} does not match $schema v${versionText}`,
    );
  try {
    problems.push(
      ...schemaErrors(
        manifest,
        loadBundledSchema(versionText, 'MicrosoftTeams.schema.json'),
        `v${versionText}/MicrosoftTeams.schema.json`,
        'manifest.json',
      ),
    );
  } catch (error) {
    problems.push(...(error instanceof PackageError ? error.problems : [String(error)]));
  }

  // Icons.
  const icons = (manifest.icons ?? {}) as Record<string, unknown>;
  for (const kind of ['color', 'outline'] as const) {
    const name = icons[kind];
    if (typeof name !== 'string') continue; // the schema reports it
    const file = byName.get(name);
    if (!file)
      problems.push(`manifest.json: icons.${kind} names ${name}, which is not in the package`);
    else problems.push(...iconProblems(kind, file));
  }

  // Localization files: each against the localization schema, each key pointing at a manifest value.
  const localization = (manifest.localizationInfo ?? {}) as {
    defaultLanguageFile?: unknown;
    additionalLanguages?: { languageTag?: unknown; file?: unknown }[];
  };
  const languageFiles = [
    ...(typeof localization.defaultLanguageFile === 'string'
      ? [localization.defaultLanguageFile]
      : []),
    ...(localization.additionalLanguages ?? [])
      .map((language) => language.file)
      .filter((file): file is string => typeof file === 'string'),
  ];
  for (const name of languageFiles) {
    const file = byName.get(name);
    if (!file) {
      problems.push(`manifest.json: localizationInfo names ${name}, which is not in the package`);
      continue;
    }
    const strings = parseJson(file, problems);
    if (!strings) continue;
    const localizationVersion = schemaVersion(strings.$schema, LOCALIZATION_SCHEMA_URL);
    if (!localizationVersion) {
      problems.push(
        `${name}: $schema must be the official URL https://developer.microsoft.com/json-schemas/teams/v1.NN/MicrosoftTeams.Localization.schema.json`,
      );
      continue;
    }
    const localizationVersionText = localizationVersion.join('.');
    if (localizationVersionText !== versionText)
      problems.push(
        `${name}: localization schema v${localizationVersionText} differs from the manifest's v${versionText}`,
      );
    try {
      problems.push(
        ...schemaErrors(
          strings,
          loadBundledSchema(localizationVersionText, 'MicrosoftTeams.Localization.schema.json'),
          `v${localizationVersionText}/MicrosoftTeams.Localization.schema.json`,
          name,
        ),
      );
    } catch (error) {
      problems.push(...(error instanceof PackageError ? error.problems : [String(error)]));
    }
    for (const key of Object.keys(strings)) {
      if (key === '$schema' || key === 'localizationKeys') continue;
      if (typeof valueAtPath(manifest, key) !== 'string')
        problems.push(`${name}: "${key}" names nothing in manifest.json`);
    }
  }

  // Every tab URL and the SSO resource must be on a valid domain.
  const validDomains = Array.isArray(manifest.validDomains)
    ? manifest.validDomains.filter((d): d is string => typeof d === 'string')
    : [];
  const urls: [string, unknown][] = [];
  ((manifest.staticTabs ?? []) as Json[]).forEach((tab, i) => {
    urls.push([`staticTabs[${i}].contentUrl`, tab.contentUrl]);
    urls.push([`staticTabs[${i}].websiteUrl`, tab.websiteUrl]);
  });
  ((manifest.configurableTabs ?? []) as Json[]).forEach((tab, i) =>
    urls.push([`configurableTabs[${i}].configurationUrl`, tab.configurationUrl]),
  );
  for (const [where, url] of urls) {
    if (url === undefined) continue;
    const host = hostOf(url);
    if (!host) problems.push(`manifest.json: ${where} is not a URL`);
    else if (!domainAllowed(host, validDomains))
      problems.push(`manifest.json: ${where} is on ${host}, which is not in validDomains`);
  }
  const webApp = manifest.webApplicationInfo as { id?: unknown; resource?: unknown } | undefined;
  if (webApp?.resource !== undefined) {
    const match = /^api:\/\/([^/]+)\/(.+)$/.exec(String(webApp.resource));
    if (!match)
      problems.push(
        'manifest.json: webApplicationInfo.resource must be api://<domain>/<client id>',
      );
    else {
      if (!domainAllowed(match[1] as string, validDomains))
        problems.push(
          `manifest.json: webApplicationInfo.resource domain ${match[1]} is not in validDomains`,
        );
      if (match[2] !== webApp.id)
        problems.push(
          'manifest.json: webApplicationInfo.resource must end with webApplicationInfo.id',
        );
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Building
// ---------------------------------------------------------------------------------------------

export interface BuildOptions {
  env: string;
  root?: string;
  /** Where the zip goes; default <root>/build. */
  outDir?: string;
  processEnv?: NodeJS.ProcessEnv;
}

export interface BuiltPackage {
  env: string;
  zipPath: string;
  files: PackageFile[];
  manifest: Json;
}

/** The template files: the manifest plus everything it names (icons, localization files). */
export function templateFileNames(root = ROOT): string[] {
  const manifest = JSON.parse(
    readFileSync(path.join(root, MANIFEST_DIR, 'manifest.json'), 'utf8'),
  ) as Json;
  const icons = (manifest.icons ?? {}) as Record<string, string>;
  const localization = (manifest.localizationInfo ?? {}) as {
    defaultLanguageFile?: string;
    additionalLanguages?: { file: string }[];
  };
  return [
    'manifest.json',
    ...[icons.color, icons.outline, icons.color32x32].filter((n): n is string => Boolean(n)),
    ...(localization.defaultLanguageFile ? [localization.defaultLanguageFile] : []),
    ...(localization.additionalLanguages ?? []).map((language) => language.file),
  ];
}

/** Resolves the templates for one environment and validates them, without writing anything. */
export async function preparePackage(options: BuildOptions): Promise<PackageFile[]> {
  const root = options.root ?? ROOT;
  const values = loadEnvironment(options.env, { root, processEnv: options.processEnv });
  const problems: string[] = [];
  const missing = new Set<string>();
  const files: PackageFile[] = [];
  for (const name of templateFileNames(root)) {
    const source = path.join(root, MANIFEST_DIR, name);
    if (!existsSync(source)) {
      problems.push(`${MANIFEST_DIR}/${name} does not exist`);
      continue;
    }
    const data = readFileSync(source);
    if (!name.endsWith('.json')) {
      files.push({ name, data });
      continue;
    }
    const text = data.toString('utf8');
    const secrets = placeholdersIn(text).filter((key) => key.startsWith('SECRET_'));
    if (secrets.length > 0)
      problems.push(
        `${MANIFEST_DIR}/${name}: a package is public, it cannot hold ${secrets.join(', ')}`,
      );
    const resolved = resolvePlaceholders(text, values);
    resolved.missing.forEach((key) => missing.add(key));
    files.push({ name, data: Buffer.from(resolved.text, 'utf8') });
  }
  if (missing.size > 0) {
    const names = [...missing];
    throw new PackageError(
      `environment "${options.env}" has no value for ${names.join(', ')}`,
      [
        `set ${names.join(', ')} in ${ENV_DIR}/.env.${options.env} (provisioning writes them: ` +
          `\`atk provision --env ${options.env}\`) or in the process environment`,
        ...problems,
      ],
      names,
    );
  }
  problems.push(...(await validatePackageFiles(files)));
  if (problems.length > 0)
    throw new PackageError(`the app package for "${options.env}" is not valid`, problems);
  return files;
}

/** Builds and writes build/appPackage.<env>.zip. Throws a PackageError listing every problem. */
export async function buildPackage(options: BuildOptions): Promise<BuiltPackage> {
  const root = options.root ?? ROOT;
  const files = await preparePackage(options);
  const zip = new AdmZip();
  for (const file of files) zip.addFile(file.name, file.data);
  const outDir = options.outDir ?? path.join(root, OUTPUT_DIR);
  mkdirSync(outDir, { recursive: true });
  const zipPath = path.join(outDir, `appPackage.${options.env}.zip`);
  writeFileSync(zipPath, zip.toBuffer());
  const manifest = JSON.parse(
    (files.find((f) => f.name === 'manifest.json') as PackageFile).data.toString('utf8'),
  ) as Json;
  return { env: options.env, zipPath, files, manifest };
}

/** The entries of a zip file, name and content. */
export function readZip(zipPath: string): PackageFile[] {
  return new AdmZip(zipPath)
    .getEntries()
    .map((entry) => ({ name: entry.entryName, data: entry.getData() }));
}

// ---------------------------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------------------------

function requestedEnvironment(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--env') return argv[i + 1];
    if (arg.startsWith('--env=')) return arg.slice('--env='.length);
    if (!arg.startsWith('-')) return arg;
  }
  return undefined;
}

async function main(argv: string[]): Promise<number> {
  const requested = requestedEnvironment(argv);
  const envs = requested ? [requested] : listEnvironments();
  let built = 0;
  let failed = 0;
  for (const env of envs) {
    try {
      const result = await buildPackage({ env });
      built++;
      console.log(`${env}: ${path.relative(process.cwd(), result.zipPath)} (validated, 0 errors)`);
    } catch (error) {
      if (!(error instanceof PackageError)) throw error;
      if (!requested && error.missing.length > 0) {
        console.log(
          `${env}: skipped, not provisioned yet (no value for ${error.missing.join(', ')})`,
        );
        continue;
      }
      failed++;
      console.error(`${env}: ${error.message}\n  - ${error.problems.join('\n  - ')}`);
    }
  }
  if (built === 0 && failed === 0)
    console.error('no app package built: give an environment with --env <name>');
  return failed > 0 || built === 0 ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
