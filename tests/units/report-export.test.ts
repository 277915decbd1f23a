import { loadProgramme } from '../../src/curriculum/load-programme';
import { projectPath } from '../../src/project-paths';
import { uploadToSession, UploadFailed } from '../../src/teams/file-upload';
import { csvField, memberReportCsv } from '../../src/units/report-csv';
import { type MemberReportRow, reportFileName } from '../../src/units/unit-service';
import { FakeOneDrive } from '../support/fake-onedrive';

const programme = loadProgramme(projectPath('tests/fixtures/content'));

function row(name: string, overrides: Partial<MemberReportRow> = {}): MemberReportRow {
  return {
    member: {
      id: `29:${name}`,
      aadObjectId: `oid-${name}`,
      name,
      email: `${name}@defence.example`,
    },
    trackId: null,
    phases: programme.phases.map((phase) => ({
      phaseId: phase.id,
      status: 'notStarted',
      lessonsDone: 0,
      lessonsTotal: programme.sequence(phase.id, null).length,
      scorePercent: null,
      brevet: false,
    })),
    ...overrides,
  };
}

describe('the per-member CSV', () => {
  it('starts with a BOM, uses CRLF, and a header naming each phase in the lead’s language', () => {
    const csv = memberReportCsv([row('Jan')], programme, 'nl');
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines).toHaveLength(3); // header, one member, the final line end
    expect(lines[2]).toBe('');
    const header = lines[0]!.split(';');
    expect(header.slice(0, 4)).toEqual(['Naam', 'E-mail', 'Entra-object-id', 'Traject']);
    expect(header).toHaveLength(4 + 5 * programme.phases.length);
    expect(header[4]).toBe(`${programme.phases[0]!.title.nl}: status`);
  });

  it('separates with ";" in French, Dutch and German and "," in English', () => {
    const standing = row('Jan', {
      trackId: 'support',
      phases: row('x').phases.map((p, i) =>
        i === 0
          ? { ...p, status: 'completed', lessonsDone: 2, scorePercent: 75, brevet: false }
          : p,
      ),
    });
    const [, fr] = memberReportCsv([standing], programme, 'fr').split('\r\n');
    expect(fr!.split(';').slice(4, 9)).toEqual(['terminée', '2', '2', '75', 'non']);
    expect(fr!.split(';')[3]).toBe(programme.track('support')!.title.fr);
    const [, en] = memberReportCsv([standing], programme, 'en').split('\r\n');
    expect(en!.split(',').slice(4, 9)).toEqual(['completed', '2', '2', '75', 'no']);
  });

  it('quotes separators, quotes and line breaks, and defuses formulas', () => {
    expect(csvField('Dubois; Marie', ';')).toBe('"Dubois; Marie"');
    expect(csvField('Dubois, Marie', ';')).toBe('"Dubois, Marie"');
    expect(csvField('Dubois; Marie', ',')).toBe('"Dubois; Marie"');
    expect(csvField('Dubois, Marie', ',')).toBe('"Dubois, Marie"');
    expect(csvField('Jan "the man"', ';')).toBe('"Jan ""the man"""');
    expect(csvField('two\nlines', ';')).toBe('"two\nlines"');
    expect(csvField('=HYPERLINK("http://x")', ';')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvField('+32 2 123', ';')).toBe("'+32 2 123");
    expect(csvField('-1', ';')).toBe("'-1");
    expect(csvField('@SUM(A1)', ';')).toBe("'@SUM(A1)");
    expect(csvField(' padded ', ';')).toBe('" padded "');
    const csv = memberReportCsv([row('=cmd|calc')], programme, 'de');
    expect(csv).toContain("'=cmd|calc;");
  });

  it.each([
    ['en', 'Eve;=1+1'],
    ['fr', 'Eve,@SUM(A1)'],
  ] as const)(
    'in %s, no cell starts a formula whichever separator the spreadsheet splits on (%s)',
    (language, name) => {
      /** Cells of one line split on `separator` as a spreadsheet would (quotes respected). */
      const cells = (line: string, separator: string) => {
        const out: string[] = [];
        let cell = '';
        let quoted = false;
        for (const character of line) {
          if (character === '"') quoted = !quoted;
          else if (character === separator && !quoted) {
            out.push(cell);
            cell = '';
          } else cell += character;
        }
        return [...out, cell];
      };
      const csv = memberReportCsv([row(name)], programme, language);
      const line = csv.split('\r\n')[1]!;
      for (const separator of [',', ';'])
        for (const cell of cells(line, separator)) expect(cell).not.toMatch(/^[=+\-@]/);
    },
  );

  it('names the file after the team and the day, in plain ASCII', () => {
    expect(reportFileName('Unité Alpha / 1 Bn', '2026-11-29')).toBe(
      'brevet-unite-alpha-1-bn-2026-11-29.csv',
    );
    expect(reportFileName(null, '2026-11-29')).toBe('brevet-unit-2026-11-29.csv');
    expect(reportFileName('***', '2026-11-29')).toBe('brevet-unit-2026-11-29.csv');
  });
});

describe('the upload to the OneDrive session', () => {
  const drive = new FakeOneDrive();
  const policy = { allowLoopback: true };
  beforeAll(() => drive.start());
  afterAll(() => drive.stop());

  it('sends a small file in one PUT', async () => {
    const session = drive.session('small.csv');
    await uploadToSession(session.uploadUrl, Buffer.from('a;b\r\n'), { policy });
    expect(drive.file(session.uniqueId)?.toString()).toBe('a;b\r\n');
  });

  it('sends a big file in 320 KiB-multiple fragments, in order, with Content-Range', async () => {
    const session = drive.session('big.csv');
    const content = Buffer.alloc(2 * 327_680 + 1000, 'x');
    const before = drive.requests.length;
    await uploadToSession(session.uploadUrl, content, { policy, fragmentBytes: 327_680 });
    expect(drive.file(session.uniqueId)?.equals(content)).toBe(true);
    expect(drive.requests.slice(before).map((r) => r.contentRange)).toEqual([
      `bytes 0-327679/${content.length}`,
      `bytes 327680-655359/${content.length}`,
      `bytes 655360-656359/${content.length}`,
    ]);
  });

  it('fails on an answer the service does not give to a good upload', async () => {
    const session = drive.session('fails.csv', { failWith: 500 });
    await expect(
      uploadToSession(session.uploadUrl, Buffer.from('x'), { policy }),
    ).rejects.toBeInstanceOf(UploadFailed);
    await expect(
      uploadToSession(session.uploadUrl, Buffer.from('x'), { policy, fragmentBytes: 1000 }),
    ).rejects.toThrow(RangeError);
  });

  it('uploads only to SharePoint/OneDrive, or to loopback when the policy allows it', async () => {
    const strict = { allowLoopback: false };
    const before = drive.requests.length;
    for (const url of [
      'http://169.254.169.254/latest/meta-data',
      'https://evil.example.com/upload',
      'https://contoso-my.sharepoint.com.evil.example/upload',
      'http://contoso-my.sharepoint.com/upload',
      'file:///etc/passwd',
      'not a url',
      drive.session('strict.csv').uploadUrl,
    ])
      await expect(
        uploadToSession(url, Buffer.from('x'), { policy: strict }),
      ).rejects.toBeInstanceOf(UploadFailed);
    await expect(
      uploadToSession('http://10.0.0.1/upload', Buffer.from('x'), { policy }),
    ).rejects.toBeInstanceOf(UploadFailed);
    // Nothing left: the stand-in on loopback got no request under the strict policy.
    expect(drive.requests).toHaveLength(before);
  });
});
