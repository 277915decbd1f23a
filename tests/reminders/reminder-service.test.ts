import path from 'node:path';
import { loadProgramme } from '../../src/curriculum/load-programme';
import { type ReminderCandidate } from '../../src/reminders/reminder-store';
import { ReminderService } from '../../src/reminders/reminder-service';
import { InMemoryReminderStore } from '../support/in-memory-reminder-store';

const programme = loadProgramme(path.join(__dirname, '..', 'fixtures', 'content'));
// Monday 2 February 2026, 11:00 in Brussels: a working day, after the default 09:30, phase 2 open.
const NOW = new Date('2026-02-02T10:00:00Z');

function candidate(learnerId: string, trackId: string | null): ReminderCandidate {
  return {
    learnerId,
    tenantId: 'tenant',
    language: 'en',
    trackId,
    remindAt: '09:30',
    timeZone: 'Europe/Brussels',
    lastRemindedOn: null,
    lastActivityAt: null,
    lastLessonSentAt: null,
    serviceUrl: 'https://smba.example/',
    conversationId: `a:${learnerId}`,
    recipientId: null,
  };
}

function setUp(learners: { id: string; trackId: string | null; completed: string[] }[]) {
  const store = new InMemoryReminderStore();
  for (const learner of learners) {
    store.candidateList.push(candidate(learner.id, learner.trackId));
    store.completed.set(learner.id, learner.completed);
  }
  return { store, service: new ReminderService(programme, store, () => NOW) };
}

describe('ReminderService.runPass', () => {
  it('a learner with a lesson waiting in an open phase gets one reminder', async () => {
    const { store, service } = setUp([{ id: 'l1', trackId: null, completed: ['f1-a'] }]);

    expect(await service.runPass()).toEqual({ considered: 1, enqueued: 1 });
    expect(store.enqueued[0]).toMatchObject({
      learnerId: 'l1',
      day: '2026-02-02',
      payload: { type: 'reminder', language: 'en', lessonWaiting: true, reviewDue: 0 },
    });
  });

  it('a track choice still to make is work waiting', async () => {
    const { store, service } = setUp([
      { id: 'l1', trackId: null, completed: ['f1-a', 'f1-b', 'f2-a'] },
    ]);

    await service.runPass();

    expect(store.enqueued).toHaveLength(1);
  });

  it('a learner with every lesson of the open phases done is left alone', async () => {
    const { store, service } = setUp([
      { id: 'l1', trackId: 'support', completed: ['f1-a', 'f1-b', 'f2-a', 'f2-su'] },
    ]);

    expect(await service.runPass()).toEqual({ considered: 1, enqueued: 0 });
    expect(store.enqueued).toEqual([]);
  });

  it('with nothing waiting but reviews due, the reminder is about the reviews', async () => {
    const { store, service } = setUp([
      { id: 'l1', trackId: 'support', completed: ['f1-a', 'f1-b', 'f2-a', 'f2-su'] },
    ]);
    store.reviews.set('l1', ['2026-02-01T08:00:00Z', '2026-03-01T08:00:00Z']);

    await service.runPass();

    expect(store.enqueued[0]!.payload).toEqual({
      type: 'reminder',
      language: 'en',
      lessonWaiting: false,
      reviewDue: 1,
    });
  });

  it('a second pass on the same day sends nothing more', async () => {
    const { service } = setUp([{ id: 'l1', trackId: null, completed: [] }]);
    await service.runPass();

    expect(await service.runPass()).toEqual({ considered: 1, enqueued: 0 });
  });

  it('a lesson a lead pushed today is the day’s nudge: no reminder before the next working day', async () => {
    const { store, service } = setUp([{ id: 'l1', trackId: null, completed: [] }]);
    // Delivered at 08:15 Brussels this Monday.
    store.candidateList[0]!.lastLessonSentAt = '2026-02-02T07:15:00.000Z';
    expect(await service.runPass()).toEqual({ considered: 1, enqueued: 0 });

    // Pushed on Friday: Monday's reminder goes.
    store.candidateList[0]!.lastLessonSentAt = '2026-01-30T14:00:00.000Z';
    expect(await service.runPass()).toEqual({ considered: 1, enqueued: 1 });
  });

  it('counts the push on the learner’s local day, not the UTC one', async () => {
    // 00:30 on Monday in Brussels is still Sunday in UTC: today, locally.
    const early = setUp([{ id: 'l1', trackId: null, completed: [] }]);
    early.store.candidateList[0]!.lastLessonSentAt = '2026-02-01T23:30:00.000Z';
    expect(await early.service.runPass()).toEqual({ considered: 1, enqueued: 0 });

    // 23:30 on Sunday in Brussels: yesterday, locally.
    const late = setUp([{ id: 'l1', trackId: null, completed: [] }]);
    late.store.candidateList[0]!.lastLessonSentAt = '2026-02-01T22:30:00.000Z';
    expect(await late.service.runPass()).toEqual({ considered: 1, enqueued: 1 });
  });
});
