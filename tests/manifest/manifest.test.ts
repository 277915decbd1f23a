/**
 * The Teams app manifest, resolved, against the official schema bundled in @microsoft/app-manifest
 * (offline), plus what issue 7 asks of it: bot scopes and command lists, the tabs, SSO, domains,
 * localization (fr, nl, de) and the icons.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import {
  alphaAt,
  iconProblems,
  loadEnvironment,
  MANIFEST_DIR,
  preparePackage,
  resolvePlaceholders,
  ROOT,
  validatePackageFiles,
  valueAtPath,
  type PackageFile,
} from '../../scripts/package-app';
import { drawColorIcon, drawOutlineIcon } from '../../scripts/make-icons';

const manifestDir = path.join(ROOT, MANIFEST_DIR);
const template = readFileSync(path.join(manifestDir, 'manifest.json'), 'utf8');
const LANGUAGES = ['fr', 'nl', 'de'] as const;

/** What provisioning writes for a real tenant (ids are made up). */
const TENANT_VALUES = {
  TEAMS_APP_ID: '6f1c2d3e-4a5b-4c6d-8e7f-901a2b3c4d5e',
  BOT_ID: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
  BOT_DOMAIN: 'app-brevetx1y2z3.azurewebsites.net',
  AAD_APP_CLIENT_ID: '0a9b8c7d-6e5f-4a3b-9c1d-2e3f4a5b6c7d',
  APP_NAME_SUFFIX: '',
  DEVELOPER_NAME: 'Training office',
  DEVELOPER_WEBSITE_URL: 'https://training.example.org',
  DEVELOPER_PRIVACY_URL: 'https://training.example.org/privacy',
  DEVELOPER_TERMS_OF_USE_URL: 'https://training.example.org/terms',
};

function readTemplateFiles(values: Record<string, string>): PackageFile[] {
  const names = ['manifest.json', 'color.png', 'outline.png', ...LANGUAGES.map((l) => `${l}.json`)];
  return names.map((name) => {
    const data = readFileSync(path.join(manifestDir, name));
    if (!name.endsWith('.json')) return { name, data };
    const resolved = resolvePlaceholders(data.toString('utf8'), values);
    expect(resolved.missing).toEqual([]);
    return { name, data: Buffer.from(resolved.text) };
  });
}

function manifestOf(files: PackageFile[]): any {
  return JSON.parse((files.find((f) => f.name === 'manifest.json') as PackageFile).data.toString());
}

/** Fails with every problem, one per line, so a red test says everything at once. */
function expectNoProblems(problems: string[]): void {
  expect(problems.join('\n')).toBe('');
}

describe('the resolved manifest', () => {
  it('validates against the bundled schema with zero errors, for a tenant', async () => {
    expectNoProblems(await validatePackageFiles(readTemplateFiles(TENANT_VALUES)));
  });

  it('validates with zero errors for the committed playground environment', async () => {
    const files = await preparePackage({ env: 'playground', processEnv: {} });
    expectNoProblems(await validatePackageFiles(files));
  });

  it('uses an official $schema URL, version 1.24 or newer', () => {
    const manifest = JSON.parse(template);
    const match =
      /^https:\/\/developer\.microsoft\.com\/json-schemas\/teams\/v1\.(\d+)\/MicrosoftTeams\.schema\.json$/.exec(
        manifest.$schema,
      );
    expect(match).not.toBeNull();
    expect(Number(match?.[1])).toBeGreaterThanOrEqual(24);
    expect(manifest.manifestVersion).toBe(`1.${match?.[1]}`);
  });

  it('has the bot in personal and team scopes, with the learner and lead command lists', () => {
    const manifest = manifestOf(readTemplateFiles(TENANT_VALUES));
    expect(manifest.bots).toHaveLength(1);
    const bot = manifest.bots[0];
    expect(bot.botId).toBe(TENANT_VALUES.BOT_ID);
    expect(bot.scopes).toEqual(expect.arrayContaining(['personal', 'team']));
    const titles = (scope: string) =>
      bot.commandLists
        .filter((list: any) => list.scopes.includes(scope))
        .flatMap((list: any) => list.commands.map((command: any) => command.title));
    expect(titles('personal')).toEqual(['next', 'progress', 'review', 'help']);
    expect(titles('team')).toEqual(['push', 'assign', 'schedule', 'report', 'deliveries']);
  });

  it('has the personal tabs "My brevet" and "Programme" and a channel tab, on the bot domain', () => {
    const manifest = manifestOf(readTemplateFiles(TENANT_VALUES));
    const myBrevet = manifest.staticTabs.find((tab: any) => tab.name === 'My brevet');
    expect(myBrevet).toMatchObject({ scopes: ['personal'] });
    const contentUrl = new URL(myBrevet.contentUrl);
    expect(contentUrl.origin).toBe(`https://${TENANT_VALUES.BOT_DOMAIN}`);
    expect(contentUrl.pathname).toBe('/tab/index.html');
    expect(decodeURIComponent(contentUrl.search)).toContain('theme={theme}');
    expect(decodeURIComponent(contentUrl.search)).toContain('locale={locale}');
    // The bot chat comes first, then the tabs.
    expect(manifest.staticTabs.map((tab: any) => tab.entityId)).toEqual([
      'conversations',
      'my-brevet',
      'programme',
      'about',
    ]);
    // The training office's dashboard: the same page at #/programme, for everyone to open (the
    // server shows the figures to admins only).
    const programme = manifest.staticTabs.find((tab: any) => tab.entityId === 'programme');
    expect(programme).toMatchObject({ name: 'Programme', scopes: ['personal'] });
    const programmeUrl = new URL(programme.contentUrl);
    expect([programmeUrl.origin, programmeUrl.pathname, programmeUrl.hash]).toEqual([
      `https://${TENANT_VALUES.BOT_DOMAIN}`,
      '/tab/index.html',
      '#/programme',
    ]);
    expect(decodeURIComponent(programmeUrl.search)).toContain('locale={locale}');
    expect(manifest.configurableTabs).toHaveLength(1);
    expect(manifest.configurableTabs[0].scopes).toContain('team');
    expect(new URL(manifest.configurableTabs[0].configurationUrl).pathname).toBe(
      '/tab/config.html',
    );
  });

  it('declares tab SSO and the valid domain', () => {
    const manifest = manifestOf(readTemplateFiles(TENANT_VALUES));
    expect(manifest.webApplicationInfo).toEqual({
      id: TENANT_VALUES.AAD_APP_CLIENT_ID,
      resource: `api://${TENANT_VALUES.BOT_DOMAIN}/${TENANT_VALUES.AAD_APP_CLIENT_ID}`,
    });
    expect(manifest.validDomains).toEqual([TENANT_VALUES.BOT_DOMAIN]);
    expect(manifest.id).toBe(TENANT_VALUES.TEAMS_APP_ID);
  });

  it('is localized in French, Dutch and German', () => {
    const manifest = JSON.parse(template);
    expect(manifest.localizationInfo.additionalLanguages).toEqual(
      LANGUAGES.map((language) => ({ languageTag: language, file: `${language}.json` })),
    );
  });
});

describe('the localization files', () => {
  const files = readTemplateFiles(TENANT_VALUES);
  const manifest = manifestOf(files);
  const strings = (language: string) =>
    JSON.parse((files.find((f) => f.name === `${language}.json`) as PackageFile).data.toString());

  it.each(LANGUAGES)('%s.json validates against the bundled localization schema', async (lang) => {
    const problems = await validatePackageFiles(files);
    expectNoProblems(problems.filter((problem) => problem.startsWith(`${lang}.json`)));
  });

  it.each(LANGUAGES)('%s.json translates the same strings as the others', (language) => {
    expect(Object.keys(strings(language)).sort()).toEqual(Object.keys(strings('fr')).sort());
  });

  it.each(LANGUAGES)('every key of %s.json names a string of the manifest', (language) => {
    for (const key of Object.keys(strings(language)).filter((k) => k !== '$schema'))
      expect([key, typeof valueAtPath(manifest, key)]).toEqual([key, 'string']);
  });

  it.each(LANGUAGES)('%s.json localizes the tab name and every command description', (lang) => {
    const keys = Object.keys(strings(lang));
    expect(keys).toContain('staticTabs[1].name');
    expect(keys).toContain('staticTabs[2].name');
    manifest.bots[0].commandLists.forEach((list: any, i: number) =>
      list.commands.forEach((_: unknown, j: number) =>
        expect(keys).toContain(`bots[0].commandLists[${i}].commands[${j}].description`),
      ),
    );
  });
});

describe('the validator', () => {
  it('lists every schema error, not just the first', async () => {
    const files = readTemplateFiles(TENANT_VALUES);
    const manifest = manifestOf(files);
    manifest.accentColor = 'navy';
    manifest.name.short = 'A name far longer than the thirty characters allowed';
    manifest.bots[0].scopes = ['personal', 'everywhere'];
    const problems = await validatePackageFiles([
      { name: 'manifest.json', data: Buffer.from(JSON.stringify(manifest)) },
      ...files.filter((f) => f.name !== 'manifest.json'),
    ]);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^manifest\.json: \/accentColor /),
        expect.stringMatching(/^manifest\.json: \/name\/short /),
        expect.stringMatching(/^manifest\.json: \/bots\/0\/scopes\/1 /),
      ]),
    );
  });

  it('reports localization errors, unknown keys and a tab off the valid domains', async () => {
    const files = readTemplateFiles(TENANT_VALUES);
    const manifest = manifestOf(files);
    manifest.configurableTabs[0].configurationUrl = 'https://elsewhere.example.com/config.html';
    const french = JSON.parse(
      (files.find((f) => f.name === 'fr.json') as PackageFile).data.toString(),
    );
    french['description.short'] = 'x'.repeat(81);
    french['staticTabs[7].name'] = 'Nulle part';
    french['bots[0].unknown'] = 'Inconnu';
    const problems = await validatePackageFiles(
      files.map((file) =>
        file.name === 'manifest.json'
          ? { name: file.name, data: Buffer.from(JSON.stringify(manifest)) }
          : file.name === 'fr.json'
            ? { name: file.name, data: Buffer.from(JSON.stringify(french)) }
            : file,
      ),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^fr\.json: \/description\.short /),
        expect.stringMatching(/^fr\.json: .*bots\[0\]\.unknown/),
        'fr.json: "staticTabs[7].name" names nothing in manifest.json',
        expect.stringContaining('configurableTabs[0].configurationUrl is on elsewhere.example.com'),
      ]),
    );
  });

  it('refuses an unofficial $schema and an old manifest version', async () => {
    const files = readTemplateFiles(TENANT_VALUES);
    for (const [schema, expected] of [
      ['https://example.org/MicrosoftTeams.schema.json', /must be the official URL/],
      [
        'https://developer.microsoft.com/json-schemas/teams/v1.17/MicrosoftTeams.schema.json',
        /older than v1\.24/,
      ],
    ] as const) {
      const manifest = { ...manifestOf(files), $schema: schema };
      const problems = await validatePackageFiles([
        { name: 'manifest.json', data: Buffer.from(JSON.stringify(manifest)) },
        ...files.filter((f) => f.name !== 'manifest.json'),
      ]);
      expect(problems.join('\n')).toMatch(expected);
    }
  });
});

describe('the icons', () => {
  const read = (name: string): PackageFile => ({
    name,
    data: readFileSync(path.join(manifestDir, name)),
  });

  it('color.png is 192x192 and outline.png is 32x32, white on a transparent background', () => {
    expect(PNG.sync.read(read('color.png').data)).toMatchObject({ width: 192, height: 192 });
    expect(PNG.sync.read(read('outline.png').data)).toMatchObject({ width: 32, height: 32 });
    expectNoProblems([
      ...iconProblems('color', read('color.png')),
      ...iconProblems('outline', read('outline.png')),
    ]);
  });

  it('outline.png keeps 4 px of transparent padding, and the colour icon is opaque', () => {
    const outline = PNG.sync.read(read('outline.png').data);
    for (let i = 0; i < 32; i++)
      for (const [x, y] of [
        [i, 0],
        [i, 31],
        [0, i],
        [31, i],
      ] as const)
        expect(alphaAt(outline, x, y)).toBe(0);
    const color = PNG.sync.read(read('color.png').data);
    expect(alphaAt(color, 0, 0)).toBe(255);
    expect(alphaAt(color, 96, 96)).toBe(255);
  });

  it('are the ones scripts/make-icons.ts draws', () => {
    // Compared pixel by pixel with a little tolerance: a sample on a shape's edge may fall the
    // other way with another floating-point library, never a whole pixel.
    for (const [name, drawn] of [
      ['color.png', drawColorIcon()],
      ['outline.png', drawOutlineIcon()],
    ] as const) {
      const committed = PNG.sync.read(read(name).data);
      expect([committed.width, committed.height]).toEqual([drawn.width, drawn.height]);
      let differing = 0;
      let worst = 0;
      committed.data.forEach((value, i) => {
        const difference = Math.abs(value - (drawn.data[i] as number));
        if (difference > 0) differing++;
        worst = Math.max(worst, difference);
      });
      expect([name, worst <= 48, differing <= committed.data.length / 100]).toEqual([
        name,
        true,
        true,
      ]);
    }
  });

  it('the checks catch a wrong size and an outline icon with a background', () => {
    const square = (size: number, rgba: [number, number, number, number]) => {
      const image = new PNG({ width: size, height: size });
      for (let i = 0; i < size * size; i++) image.data.set(rgba, i * 4);
      return PNG.sync.write(image);
    };
    expect(
      iconProblems('color', { name: 'color.png', data: square(96, [27, 54, 93, 255]) }),
    ).toEqual(['color.png: the color icon must be 192x192 pixels, not 96x96']);
    expect(
      iconProblems('outline', { name: 'outline.png', data: square(32, [27, 54, 93, 255]) }),
    ).toEqual([
      'outline.png: the outline icon needs a transparent background',
      'outline.png: the outline icon must be white on transparent (1024 visible pixels are not white)',
    ]);
    expect(
      iconProblems('outline', { name: 'outline.png', data: Buffer.from('not a png') }),
    ).toEqual(['outline.png: not a PNG file (bad signature)']);
  });

  it('the checks report a damaged PNG rather than throw', () => {
    const committed = read('outline.png').data;
    expect(
      iconProblems('outline', { name: 'outline.png', data: committed.subarray(0, 100) }),
    ).toEqual([expect.stringMatching(/^outline\.png: not a readable PNG \(.+\)$/)]);
  });

  it('the checks read an icon saved as grey + alpha or with 16 bits per channel', () => {
    const drawn = drawOutlineIcon();
    const greyAlpha = PNG.sync.write(drawn, { colorType: 4 });
    const wide = new Uint16Array(drawn.data.length);
    drawn.data.forEach((value, i) => (wide[i] = value * 257));
    const sixteenBits = new PNG({ width: drawn.width, height: drawn.height });
    sixteenBits.data = Buffer.from(wide.buffer);
    const deep = PNG.sync.write(sixteenBits, { bitDepth: 16 });
    expect([PNG.sync.read(greyAlpha).colorType, PNG.sync.read(deep).depth]).toEqual([4, 16]);
    expect([
      ...iconProblems('outline', { name: 'outline.png', data: greyAlpha }),
      ...iconProblems('outline', { name: 'outline.png', data: deep }),
    ]).toEqual([]);
  });
});

describe('environments', () => {
  it('the committed playground environment resolves every placeholder of the manifest', () => {
    const values = loadEnvironment('playground', { processEnv: {} });
    expect(resolvePlaceholders(template, values).missing).toEqual([]);
  });
});
