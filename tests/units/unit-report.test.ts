import path from 'node:path';
import { loadProgramme } from '../../src/curriculum/load-programme';
import { memberReportCsv } from '../../src/units/report-csv';
import { UnitService } from '../../src/units/unit-service';
import { type Member, type Team } from '../../src/units/unit-store';
import { InMemoryUnitStore } from '../support/in-memory-unit-store';

const programme = loadProgramme(path.join(__dirname, '..', 'fixtures', 'content'));
const NOW = new Date('2026-02-02T10:00:00Z');
const team: Team = {
  teamId: 'team',
  tenantId: 'tenant',
  name: 'Unit A',
  serviceUrl: 'https://smba.example/',
  channelId: 'general',
  timeZone: 'Europe/Brussels',
};
const members: Member[] = [
  { id: '29:c', aadObjectId: 'C-ID', name: 'Chloé' },
  { id: '29:a', aadObjectId: 'a-id', name: 'Anna' },
  { id: '29:b', aadObjectId: 'b-id', name: 'Bram' },
];

function setUp() {
  const store = new InMemoryUnitStore();
  // Anna: phase 1 done at 75% (no brevet), phase 2 on the support track, common lesson done.
  Object.assign(store.recordOf('a-id'), {
    trackId: 'support',
    openedLessons: ['f1-a', 'f1-b', 'f2-a'],
    completedLessons: [
      { lessonId: 'f1-a', correct: 2, total: 2 },
      { lessonId: 'f1-b', correct: 1, total: 2 },
      { lessonId: 'f2-a', correct: 1, total: 3 },
    ],
  });
  // Bram: phase 1 done at 100% with the brevet.
  Object.assign(store.recordOf('b-id'), {
    openedLessons: ['f1-a', 'f1-b'],
    completedLessons: [
      { lessonId: 'f1-a', correct: 2, total: 2 },
      { lessonId: 'f1-b', correct: 2, total: 2 },
    ],
    brevets: ['phase-1'],
  });
  // Chloé: opened the first lesson only.
  Object.assign(store.recordOf('c-id'), { openedLessons: ['f1-a'] });
  store.answers.push(
    { userKey: 'a-id', lessonId: 'f1-a', questionId: 'q2', correct: true },
    { userKey: 'a-id', lessonId: 'f1-a', questionId: 'q1', correct: true },
    { userKey: 'b-id', lessonId: 'f1-a', questionId: 'q1', correct: false },
  );
  return { store, service: new UnitService(programme, store, [], () => NOW) };
}

describe('UnitService reports', () => {
  it('the unit report counts per phase who started, completed, their average and brevets', async () => {
    const { service } = setUp();

    const report = await service.report(team, members);

    expect(report.members).toBe(3);
    expect(report.phases).toEqual([
      { phaseId: 'phase-1', started: 3, completed: 2, averageScore: 88, brevets: 1 },
      { phaseId: 'phase-2', started: 1, completed: 0, averageScore: 33, brevets: 0 },
      { phaseId: 'phase-3', started: 0, completed: 0, averageScore: null, brevets: 0 },
    ]);
    expect(report.lessons).toEqual([
      {
        lessonId: 'f1-a',
        answered: 2,
        questions: [
          { questionId: 'q1', answered: 2, sharePercent: 50 },
          { questionId: 'q2', answered: 1, sharePercent: 100 },
        ],
      },
    ]);
  });

  it('the member report lists every member by name with where they stand in each phase', async () => {
    const { service } = setUp();

    const rows = await service.memberReport(team, [
      ...members,
      { id: '29:d', aadObjectId: 'd-id', name: 'Dries' },
    ]);

    expect(rows.map((r) => r.member.name)).toEqual(['Anna', 'Bram', 'Chloé', 'Dries']);
    expect(rows[0]!.trackId).toBe('support');
    expect(rows[0]!.phases).toEqual([
      {
        phaseId: 'phase-1',
        status: 'completed',
        lessonsDone: 2,
        lessonsTotal: 2,
        scorePercent: 75,
        brevet: false,
      },
      {
        phaseId: 'phase-2',
        status: 'started',
        lessonsDone: 1,
        lessonsTotal: 2,
        scorePercent: 33,
        brevet: false,
      },
      {
        phaseId: 'phase-3',
        status: 'notStarted',
        lessonsDone: 0,
        lessonsTotal: 1,
        scorePercent: null,
        brevet: false,
      },
    ]);
    expect(rows[1]!.phases[0]).toMatchObject({ status: 'completed', brevet: true });
    expect(rows[2]!.phases[0]).toMatchObject({ status: 'started', lessonsDone: 0 });
    expect(rows[3]!.phases.map((p) => p.status)).toEqual([
      'notStarted',
      'notStarted',
      'notStarted',
    ]);
  });

  it('the CSV export writes the member report in the lead language', async () => {
    const { service } = setUp();

    const csv = memberReportCsv(await service.memberReport(team, members), programme, 'en');

    const lines = csv
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[1]!.startsWith('Anna,,a-id,Support EN,')).toBe(true);
    expect(lines[1]).toContain(',2,2,75,');
  });
});
