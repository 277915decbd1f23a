import * as AC from 'adaptivecards';
import { readdirSync, readFileSync } from 'node:fs';
import { type AdaptiveCardJson } from '../../src/cards/card-templates';
import { LEAD_VERBS, PRIVACY_VERBS, VERBS } from '../../src/cards/card-verbs';
import { renderReview } from '../../src/cards/review-cards';
import {
  renderAssignmentSummary,
  renderDeliveries,
  renderLeaderboard,
  renderLeadMenu,
  renderLeadNotice,
  renderLeadPicker,
  renderReport,
  renderSchedules,
} from '../../src/cards/unit-cards';
import {
  renderAllDone,
  renderApology,
  renderBrevet,
  renderGlossary,
  renderHelp,
  renderLanguageChanged,
  renderLanguageUnknown,
  renderLessons,
  renderPhaseNotOpen,
  renderProgress,
  renderRefusal,
  renderEraseConfirmation,
  renderPrivacy,
  renderReminder,
  renderRemindSetting,
  renderTenantRefusal,
  renderTrackAlreadyChosen,
  renderTrackChoice,
  renderWelcome,
} from '../../src/cards/learner-cards';
import { cardBytes, lessonCards, MAX_CARD_BYTES } from '../../src/cards/lesson-card-sizes';
import { loadProgramme } from '../../src/curriculum/load-programme';
import { LANGUAGES, type Language } from '../../src/i18n/languages';
import { type LearnerProgress } from '../../src/learning/learning-service';
import { type AssignmentStatus } from '../../src/units/unit-store';
import { projectPath } from '../../src/project-paths';

const programme = loadProgramme(projectPath('content'));
const [phase1, phase2] = programme.phases;

/** Parses and validates with the official renderer library at schema 1.5; returns every message. */
function validate(card: AdaptiveCardJson): string[] {
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  const parsed = new AC.AdaptiveCard();
  parsed.parse(card, context);
  const messages: string[] = [];
  for (let i = 0; i < context.eventCount; i += 1)
    messages.push(`parse: ${context.getEventAt(i).message}`);
  for (const event of parsed.validateProperties().validationEvents)
    messages.push(`validate: ${event.message}`);
  // The library accepts a missing version and unknown properties: check them here.
  if (card.version !== '1.5') messages.push(`version is ${String(card.version)}, expected 1.5`);
  return messages;
}

function sampleProgress(language: Language): LearnerProgress {
  const learner = {
    id: 'l',
    tenantId: 't',
    userKey: 'u',
    language,
    trackId: 'support',
    languageConfirmed: true,
    timeZone: 'Europe/Brussels',
    createdAt: '',
  };
  return {
    learner,
    phases: programme.phases.map((phase, index) => {
      const lessons = programme.sequence(phase.id, 'support');
      return {
        phase,
        state: index === 0 ? 'complete' : 'open',
        trackId: phase.chooseTrack ? 'support' : null,
        lessonsDone: index === 0 ? lessons.length : 1,
        lessonsTotal: lessons.length,
        score: index === 0 ? 90 : null,
        correct: index === 0 ? 9 : 0,
        answered: index === 0 ? 10 : 0,
        brevet:
          index === 0
            ? { phaseId: phase.id, earnedAt: '2026-11-20T10:00:00Z', score: 90 }
            : undefined,
        lessons: lessons.map((lesson, i) => ({
          lesson,
          state: index === 0 || i === 0 ? 'done' : i === 1 ? 'inProgress' : 'todo',
          score: index === 0 || i === 0 ? 67 : null,
        })),
        trackPending: false,
        started: true,
        earnsBrevet: index === 0,
      };
    }),
    next: { kind: 'allDone' },
  };
}

const assignment: AssignmentStatus = {
  id: 'a1',
  teamId: 'team',
  language: 'en',
  lessonId: 'p1-01',
  requestedBy: 'lead',
  createdAt: '2026-11-29T09:00:00Z',
  finishedAt: '2026-11-29T09:10:00Z',
  total: 120,
  counts: { sent: 117, pending: 0, failed: 1, blocked: 2 },
  notReached: [
    { name: 'Jan Peeters', status: 'blocked', reason: 'MessageWritesBlocked' },
    { name: 'Marie Dubois', status: 'failed', reason: '413 MessageSizeTooBig' },
  ],
};

/** The cards of unit leads, spaced review and reminders, with realistic data. */
function unitAndReviewCards(language: Language): { name: string; card: AdaptiveCardJson }[] {
  const lesson = programme.curriculum.lessons[0]!;
  return [
    { name: 'lead notice', card: renderLeadNotice(language, 'lead.usage') },
    {
      name: 'deliveries',
      card: renderDeliveries(language, programme, [assignment], { names: true }),
    },
    {
      name: 'deliveries (channel)',
      card: renderDeliveries(language, programme, [assignment], { names: false }),
    },
    { name: 'deliveries (none)', card: renderDeliveries(language, programme, [], { names: true }) },
    {
      name: 'assignment summary (channel)',
      card: renderAssignmentSummary(language, programme, assignment, false),
    },
    {
      name: 'assignment summary (lead)',
      card: renderAssignmentSummary(language, programme, assignment, true),
    },
    {
      name: 'schedules',
      card: renderSchedules(language, programme, [
        {
          id: 'k3x9',
          teamId: 'team',
          action: 'assign',
          lessonId: lesson.id,
          fireAt: '2026-12-01T08:00:00Z',
          localTime: '2026-12-01 09:00',
          requestedBy: 'lead',
          language,
        },
      ]),
    },
    { name: 'schedules (none)', card: renderSchedules(language, programme, []) },
    {
      name: 'report',
      card: renderReport(language, programme, {
        members: 120,
        phases: programme.phases.map((phase, i) => ({
          phaseId: phase.id,
          started: 80,
          completed: 40,
          averageScore: i === 0 ? 86 : null,
          brevets: 35,
        })),
        lessons: [
          {
            lessonId: lesson.id,
            answered: 80,
            questions: lesson.questions.map((q) => ({
              questionId: q.id,
              answered: 80,
              sharePercent: 72,
            })),
          },
        ],
      }),
    },
    {
      name: 'leaderboard',
      card: renderLeaderboard(language, 'Unit Alpha', {
        members: 120,
        participants: 12,
        entries: Array.from({ length: 10 }, (_, i) => ({
          rank: i < 2 ? 1 : i + 1,
          name: `Member ${i}`,
          brevets: i < 2 ? 1 : 0,
          lessons: 10 - i,
          rightAnswers: 20 - i,
        })),
      }),
    },
    {
      name: 'leaderboard (empty)',
      card: renderLeaderboard(language, null, { members: 3, participants: 0, entries: [] }),
    },
    {
      name: 'review question',
      card: renderReview(
        language,
        {
          kind: 'question',
          due: { lesson, question: lesson.questions[0]!, reps: 1, remaining: 3 },
        },
        {
          question: lesson.questions[0]!,
          choiceId: lesson.questions[0]!.choices[0]!,
          correct: false,
        },
      ),
    },
    { name: 'review done', card: renderReview(language, { kind: 'done' }) },
    { name: 'reminder', card: renderReminder(language, { lessonWaiting: true, reviewDue: 3 }) },
    {
      name: 'remind setting',
      card: renderRemindSetting(
        language,
        { enabled: true, remindAt: '09:30', timeZone: 'Europe/Brussels' },
        true,
      ),
    },
    { name: 'remind invalid', card: renderRemindSetting(language, 'invalid', false) },
    { name: 'privacy', card: renderPrivacy(language) },
    { name: 'privacy: confirm erasure', card: renderEraseConfirmation(language) },
  ];
}

/** Every card the bot can send, in one language. */
function everyCard(language: Language): { name: string; card: AdaptiveCardJson }[] {
  const cards = [
    { name: 'welcome', card: renderWelcome(language, 80) },
    { name: 'help', card: renderHelp(language) },
    { name: 'glossary', card: renderGlossary(language, programme) },
    {
      name: 'lead picker',
      card: renderLeadPicker(
        language,
        programme,
        new Date('2026-11-29T09:00:00Z'),
        '2026-11-29',
        'Europe/Brussels',
      ),
    },
    ...unitAndReviewCards(language),
    { name: 'help (not understood)', card: renderHelp(language, { notUnderstood: true }) },
    { name: 'help (channel): the lead menu', card: renderLeadMenu(language) },
    { name: 'language changed', card: renderLanguageChanged(language) },
    { name: 'language unknown', card: renderLanguageUnknown(language) },
    { name: 'phase not open', card: renderPhaseNotOpen(language, phase2!) },
    { name: 'all done', card: renderAllDone(language) },
    { name: 'apology', card: renderApology(language) },
    { name: 'tenant refusal', card: renderTenantRefusal(language) },
    { name: 'track choice', card: renderTrackChoice(language, programme, phase2!) },
    { name: 'track already chosen', card: renderTrackAlreadyChosen(language, 'Support') },
    { name: 'brevet', card: renderBrevet(language, phase1!, 92) },
    { name: 'progress', card: renderProgress(language, programme, sampleProgress(language)) },
    { name: 'lessons', card: renderLessons(language, sampleProgress(language)) },
    ...(
      ['unknownLesson', 'notReached', 'unknownQuestion', 'unknownChoice', 'staleCard'] as const
    ).map((reason) => ({ name: `refusal ${reason}`, card: renderRefusal(language, reason) })),
  ];
  for (const lesson of programme.curriculum.lessons) {
    const phase = programme.phase(lesson.phaseId)!;
    for (const { name, card } of lessonCards(lesson, phase, language))
      cards.push({ name: `${lesson.id} ${name}`, card });
  }
  return cards;
}

describe.each(LANGUAGES)('every card the bot sends in %s', (language) => {
  const cards = everyCard(language);

  it('parses and validates with the adaptivecards library at 1.5 with zero warnings', () => {
    const problems = cards.flatMap(({ name, card }) => validate(card).map((m) => `${name}: ${m}`));
    expect(problems).toEqual([]);
  });

  it('stays under 40 KB', () => {
    const oversized = cards
      .filter(({ card }) => cardBytes(card) >= MAX_CARD_BYTES)
      .map(({ name }) => name);
    expect(oversized).toEqual([]);
  });

  it('has no unexpanded template expression left', () => {
    const leftovers = cards
      .filter(({ card }) => JSON.stringify(card).includes('${'))
      .map(({ name }) => name);
    expect(leftovers).toEqual([]);
  });

  it('gives every Action.Execute an Action.Submit fallback (Teams mobile renders 1.2)', () => {
    const missing: string[] = [];
    const walk = (node: unknown, name: string) => {
      if (Array.isArray(node)) node.forEach((item) => walk(item, name));
      else if (node && typeof node === 'object') {
        const obj = node as Record<string, any>;
        if (obj.type === 'Action.Execute' && obj.fallback?.type !== 'Action.Submit')
          missing.push(name);
        if (obj.type === 'Action.Execute' && obj.fallback?.data?.verb !== obj.verb)
          missing.push(`${name} (verb)`);
        Object.values(obj).forEach((value) => walk(value, name));
      }
    };
    cards.forEach(({ name, card }) => walk(card, name));
    expect(missing).toEqual([]);
  });
});

describe('card templates', () => {
  it('use only the verbs the handlers know', () => {
    const known = new Set<string>([
      ...Object.values(VERBS),
      ...Object.values(LEAD_VERBS),
      ...Object.values(PRIVACY_VERBS),
    ]);
    const dir = projectPath('adaptive-cards');
    const used = readdirSync(dir).flatMap((file) =>
      [...readFileSync(`${dir}/${file}`, 'utf8').matchAll(/"verb":\s*"([^"]+)"/g)].map(
        (m) => m[1]!,
      ),
    );
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((verb) => !verb.startsWith('${') && !known.has(verb))).toEqual([]);
  });
});

describe('the validation itself', () => {
  it('flags an unknown element, a bad property value and a missing version', () => {
    const broken = {
      type: 'AdaptiveCard',
      body: [{ type: 'Bogus' }, { type: 'TextBlock', text: 'x', size: 'Gigantic' }],
    } as unknown as AdaptiveCardJson;
    const messages = validate(broken);
    expect(messages.some((m) => m.includes('Bogus'))).toBe(true);
    expect(messages.some((m) => m.includes('Gigantic'))).toBe(true);
    expect(messages.some((m) => m.includes('version'))).toBe(true);
  });
});
