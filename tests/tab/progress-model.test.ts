import { type ProgressDocument as ServerDocument } from '../../src/http/progress-document';
import {
  formatDate,
  languageFromLocale,
  lessonState,
  percent,
  readProgressDocument,
  type ProgressDocument as TabDocument,
} from '../../tab/src/progress';

/*
 * The tab's reading of GET /api/me/progress (tab/src/progress.ts), without a browser. The tab keeps
 * its own copy of the document type (it is a separate build); the assignment below makes the root
 * typecheck fail if the server's document stops fitting what the tab reads.
 */
export const serverDocumentFitsTheTab = (document: ServerDocument): TabDocument => document;

const serverDocument: ServerDocument = {
  learner: { language: 'nl', known: true, trackId: 'operational', trackTitle: 'Operationeel' },
  phases: [
    {
      id: 'phase-1',
      number: 1,
      title: 'Basis',
      opensAt: '2025-10-01',
      state: 'complete',
      lessonsDone: 2,
      lessonsTotal: 2,
      score: 100,
      brevetEarnedAt: '2026-11-29T09:00:00.000Z',
      trackPending: false,
      lessons: [
        { id: 'f1-a', title: 'Les A', state: 'done', score: 100, minutes: 2 },
        { id: 'f1-b', title: 'Les B', state: 'done', score: 100, minutes: 3 },
      ],
    },
    {
      id: 'phase-2',
      number: 2,
      title: 'Toegepast',
      opensAt: '2099-01-01',
      state: 'notOpen',
      lessonsDone: 0,
      lessonsTotal: 1,
      score: null,
      brevetEarnedAt: null,
      trackPending: false,
      lessons: [{ id: 'f2-a', title: 'Les C', state: 'locked', score: null, minutes: 2 }],
    },
  ],
  next: { kind: 'phaseNotOpen', phaseId: 'phase-2', opensAt: '2099-01-01' },
  chatUrl: 'https://teams.microsoft.com/l/chat/0/0?users=28:bot',
};

describe("the tab's reading of the progress document", () => {
  it('takes the server document as it is', () => {
    const read = readProgressDocument(JSON.parse(JSON.stringify(serverDocument)));
    expect(read).toMatchObject(serverDocument);
    expect(read?.reviewDue).toBeUndefined();
    expect(read?.phases.map((p) => p.reviewDue)).toEqual([undefined, undefined]);
  });

  it('shows review counts and streaks only when the server sends a count', () => {
    const withReview = structuredClone(serverDocument) as any;
    withReview.reviewDue = 3;
    withReview.phases[0].reviewDue = 2;
    withReview.phases[1].reviewDue = 'many';
    const read = readProgressDocument(withReview);
    expect(read?.reviewDue).toBe(3);
    expect(read?.phases.map((p) => p.reviewDue)).toEqual([2, undefined]);
    expect(readProgressDocument({ ...serverDocument, reviewDue: -1 })?.reviewDue).toBeUndefined();
    expect(readProgressDocument({ ...serverDocument, streak: 4 })?.streak).toBe(4);
    expect(readProgressDocument({ ...serverDocument, streak: 1.5 })?.streak).toBeUndefined();
  });

  it.each([
    ['nothing', undefined],
    ['an error body', { error: 'unauthorized' }],
    ['phases that are not a list', { learner: { language: 'en' }, phases: {} }],
    [
      'a phase in an unknown state',
      { ...serverDocument, phases: [{ ...serverDocument.phases[0], state: 'archived' }] },
    ],
    [
      'a phase without counts',
      { ...serverDocument, phases: [{ ...serverDocument.phases[0], lessonsDone: '2' }] },
    ],
  ])('refuses %s (the tab then says Brevet cannot be reached)', (_case, body) => {
    expect(readProgressDocument(body)).toBeUndefined();
  });

  it('falls back to English for a language it does not know', () => {
    const read = readProgressDocument({ ...serverDocument, learner: { language: 'xx' } });
    expect(read?.learner.language).toBe('en');
  });

  it('maps Teams locales as the bot does', () => {
    expect(
      ['fr-BE', 'nl-NL', 'de-AT', 'en-US', 'pt-BR', '', undefined].map(languageFromLocale),
    ).toEqual(['fr', 'nl', 'de', 'en', 'en', 'en', 'en']);
  });

  it('writes dates the way each language reads them (Brussels time)', () => {
    expect(formatDate('fr', '2099-01-01')).toBe('1 janvier 2099');
    expect(formatDate('nl', '2099-01-01')).toBe('1 januari 2099');
    expect(formatDate('de', '2099-01-01')).toBe('1. Januar 2099');
    expect(formatDate('en', '2099-01-01')).toBe('1 January 2099');
    // 23:30 UTC on 31 December is already 1 January in Brussels.
    expect(formatDate('en', '2026-12-31T23:30:00.000Z')).toBe('1 January 2027');
    expect(formatDate('en', 'not a date')).toBe('not a date');
  });

  it('reads lesson states and scores defensively', () => {
    expect(['done', 'inProgress', 'todo', 'locked', 'skipped'].map(lessonState)).toEqual([
      'done',
      'inProgress',
      'todo',
      'locked',
      'todo',
    ]);
    expect([49.6, 120, -3].map(percent)).toEqual([50, 100, 0]);
  });
});
