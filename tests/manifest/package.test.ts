/**
 * `npm run package` (scripts/package-app.ts): placeholders resolved from env/.env.<env>, its .user
 * file and the process environment; the zip holds exactly what Teams expects, and validates.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  buildPackage,
  listEnvironments,
  loadEnvironment,
  PackageError,
  placeholdersIn,
  readZip,
  resolvePlaceholders,
  ROOT,
  validatePackageFiles,
} from '../../scripts/package-app';

const run = promisify(execFile);

/** Exactly the files of a Teams app package: the manifest, two icons, the three languages. */
const EXPECTED_ENTRIES = [
  'color.png',
  'de.json',
  'fr.json',
  'manifest.json',
  'nl.json',
  'outline.png',
];

const PROVISIONED = {
  TEAMS_APP_ID: '6f1c2d3e-4a5b-4c6d-8e7f-901a2b3c4d5e',
  BOT_ID: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
  BOT_DOMAIN: 'app-brevetx1y2z3.azurewebsites.net',
  AAD_APP_CLIENT_ID: '0a9b8c7d-6e5f-4a3b-9c1d-2e3f4a5b6c7d',
};

let work: string;

beforeEach(() => {
  work = mkdtempSync(path.join(tmpdir(), 'brevet-package-'));
});

afterEach(() => {
  rmSync(work, { recursive: true, force: true });
});

/** A copy of the project's manifest/ and env/ folders, to play with env files. */
function projectCopy(): string {
  const root = path.join(work, 'project');
  cpSync(path.join(ROOT, 'manifest'), path.join(root, 'manifest'), { recursive: true });
  cpSync(path.join(ROOT, 'env'), path.join(root, 'env'), { recursive: true });
  for (const file of ['.env.dev.user', '.env.local.user', '.env.playground.user'])
    rmSync(path.join(root, 'env', file), { force: true });
  return root;
}

describe('env files', () => {
  it('parses KEY=value lines, comments, quotes and export', () => {
    const root = projectCopy();
    writeFileSync(
      path.join(root, 'env', '.env.demo'),
      [
        '# comment',
        'A=1',
        'B = two words ',
        'C="quoted # not a comment"',
        "D='single'",
        'export E=e',
        'F=value # trailing comment',
        'G=',
        'not a line',
      ].join('\n'),
    );
    expect(loadEnvironment('demo', { root, processEnv: {} })).toEqual({
      A: '1',
      B: 'two words',
      C: 'quoted # not a comment',
      D: 'single',
      E: 'e',
      F: 'value',
      G: '',
    });
  });

  it('skips a line that is not KEY=value without touching the next one, and reads CRLF', () => {
    const root = projectCopy();
    writeFileSync(path.join(root, 'env', '.env.demo'), 'not a line\r\nH=h\r\nI="i"\r\n');
    expect(loadEnvironment('demo', { root, processEnv: {} })).toEqual({ H: 'h', I: 'i' });
  });

  it('lists the committed environments', () => {
    expect(listEnvironments()).toEqual(expect.arrayContaining(['dev', 'local', 'playground']));
  });

  it('takes .env.<env>, then .env.<env>.user, then the process environment (non-empty)', () => {
    const root = projectCopy();
    writeFileSync(path.join(root, 'env', '.env.demo'), 'A=file\nB=file\nC=file\nD=file\n');
    writeFileSync(path.join(root, 'env', '.env.demo.user'), 'B=user\nC=user\nSECRET_X=s\n');
    const values = loadEnvironment('demo', { root, processEnv: { C: 'process', D: '' } });
    expect(values).toMatchObject({ A: 'file', B: 'user', C: 'process', D: 'file', SECRET_X: 's' });
  });

  it('names the known environments when asked for an unknown one', () => {
    expect(() => loadEnvironment('prod', { processEnv: {} })).toThrow(PackageError);
    try {
      loadEnvironment('prod', { processEnv: {} });
    } catch (error) {
      expect((error as PackageError).problems[0]).toMatch(/env\/\.env\.prod does not exist/);
      expect((error as PackageError).problems[0]).toMatch(/dev, local, playground/);
    }
  });
});

describe('placeholders', () => {
  it('are replaced JSON-escaped', () => {
    const text = '{"a": "${{A}}", "b": "x${{B}}y"}';
    expect(placeholdersIn(text)).toEqual(['A', 'B']);
    const resolved = resolvePlaceholders(text, { A: 'say "hi"\\', B: '' });
    expect(resolved.missing).toEqual([]);
    expect(JSON.parse(resolved.text)).toEqual({ a: 'say "hi"\\', b: 'xy' });
  });

  it('report names with no value, and empty values for whole fields', () => {
    const resolved = resolvePlaceholders('{"id": "${{ID}}", "n": "B${{S}}", "x": "${{X}}"}', {
      ID: '',
    });
    expect(resolved.missing).toEqual(['ID', 'S', 'X']);
    expect(resolved.text).toContain('${{ID}}');
  });
});

describe('buildPackage', () => {
  it('writes build/appPackage.<env>.zip with exactly the package files, resolved and valid', async () => {
    const built = await buildPackage({ env: 'dev', outDir: work, processEnv: PROVISIONED });
    expect(built.zipPath).toBe(path.join(work, 'appPackage.dev.zip'));
    const entries = readZip(built.zipPath);
    expect(entries.map((entry) => entry.name).sort()).toEqual(EXPECTED_ENTRIES);
    for (const entry of entries.filter((e) => e.name.endsWith('.json')))
      expect([entry.name, placeholdersIn(entry.data.toString())]).toEqual([entry.name, []]);
    expect((await validatePackageFiles(entries)).join('\n')).toBe('');
    const manifest = JSON.parse(
      (entries.find((e) => e.name === 'manifest.json') as { data: Buffer }).data.toString(),
    );
    expect(manifest.id).toBe(PROVISIONED.TEAMS_APP_ID);
    expect(manifest.bots[0].botId).toBe(PROVISIONED.BOT_ID);
    expect(manifest.name.short).toBe('Brevet-dev');
    // The icons are copied byte for byte.
    for (const icon of ['color.png', 'outline.png'])
      expect((entries.find((e) => e.name === icon) as { data: Buffer }).data).toEqual(
        readFileSync(path.join(ROOT, 'manifest', icon)),
      );
  });

  it('resolves the localization files too', async () => {
    const built = await buildPackage({
      env: 'dev',
      outDir: work,
      processEnv: { ...PROVISIONED, APP_NAME_SUFFIX: ' (test)' },
    });
    const french = readZip(built.zipPath).find((e) => e.name === 'fr.json') as { data: Buffer };
    expect(JSON.parse(french.data.toString())['name.short']).toBe('Brevet (test)');
  });

  it('names every variable an unprovisioned environment lacks, and writes nothing', async () => {
    const root = projectCopy();
    // As committed before the first provision: the generated values are empty.
    const fresh = readFileSync(path.join(root, 'env', '.env.dev'), 'utf8').replace(
      /^(TEAMS_APP_ID|BOT_ID|BOT_DOMAIN|AAD_APP_CLIENT_ID)=.*$/gm,
      '$1=',
    );
    writeFileSync(path.join(root, 'env', '.env.fresh'), fresh);
    const error = await buildPackage({ env: 'fresh', root, outDir: work, processEnv: {} }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PackageError);
    expect((error as PackageError).missing.sort()).toEqual(
      ['AAD_APP_CLIENT_ID', 'BOT_DOMAIN', 'BOT_ID', 'TEAMS_APP_ID'].sort(),
    );
    expect((error as PackageError).problems[0]).toMatch(/env\/\.env\.fresh/);
    expect(() => readZip(path.join(work, 'appPackage.fresh.zip'))).toThrow();
  });

  it('lists every problem of an invalid package instead of zipping it', async () => {
    const root = projectCopy();
    const error = await buildPackage({
      env: 'dev',
      root,
      outDir: work,
      processEnv: { ...PROVISIONED, TEAMS_APP_ID: 'not-a-guid', BOT_DOMAIN: 'bad domain' },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PackageError);
    const problems = (error as PackageError).problems.join('\n');
    expect(problems).toMatch(/manifest\.json: \/id must match pattern/);
    expect(problems).toMatch(/staticTabs\[1\]\.contentUrl is not a URL/);
  });

  it('refuses a secret in the manifest', async () => {
    const root = projectCopy();
    const manifestPath = path.join(root, 'manifest', 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    manifest.developer.name = '${{SECRET_BOT_PASSWORD}}';
    writeFileSync(manifestPath, JSON.stringify(manifest));
    const error = await buildPackage({
      env: 'dev',
      root,
      outDir: work,
      processEnv: { ...PROVISIONED, SECRET_BOT_PASSWORD: 'hunter2' },
    }).catch((e: unknown) => e);
    expect((error as PackageError).problems.join('\n')).toMatch(/cannot hold SECRET_BOT_PASSWORD/);
  });
});

describe('npm run package (the command line)', () => {
  const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
  const script = path.join(ROOT, 'scripts', 'package-app.ts');

  it('builds every environment whose values are set and skips the unprovisioned ones', async () => {
    const { stdout } = await run(tsx, [script], {
      cwd: ROOT,
      env: { ...process.env, ...Object.fromEntries(Object.keys(PROVISIONED).map((k) => [k, ''])) },
    });
    expect(stdout).toMatch(
      /^playground: build\/appPackage\.playground\.zip \(validated, 0 errors\)$/m,
    );
    expect(
      readZip(path.join(ROOT, 'build', 'appPackage.playground.zip'))
        .map((e) => e.name)
        .sort(),
    ).toEqual(EXPECTED_ENTRIES);
  }, 60000);

  it('fails, naming the environments, when asked for an unknown one', async () => {
    const result = await run(tsx, [script, '--env', 'nosuch'], { cwd: ROOT }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect((result as { code: number }).code).toBe(1);
    expect((result as { stderr: string }).stderr).toMatch(
      /nosuch: unknown environment "nosuch"\n {2}- env\/\.env\.nosuch does not exist \(environments: dev, local, playground/,
    );
  }, 60000);
});
