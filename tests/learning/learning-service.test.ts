import path from 'node:path';
import { loadProgramme } from '../../src/curriculum/load-programme';
import { type LearnerRecord } from '../../src/learning/learning-store';
import { LearningService } from '../../src/learning/learning-service';
import { InMemoryLearningStore } from '../support/in-memory-learning-store';

const programme = loadProgramme(path.join(__dirname, '..', 'fixtures', 'content'));
const IN_PHASE_2 = new Date('2026-02-02T10:00:00Z');
const identity = { tenantId: 'tenant', userKey: 'user-1', locale: 'fr-BE' };

function setUp(now = IN_PHASE_2) {
  const store = new InMemoryLearningStore();
  const activity: Date[] = [];
  const service = new LearningService(programme, store, () => now, {
    onActivity: (_learner, at) => {
      activity.push(at);
      return Promise.resolve();
    },
  });
  return { store, service, activity };
}

/** Takes the next lesson and answers each of its questions with `choose`. */
async function takeNextLesson(
  service: LearningService,
  learner: LearnerRecord,
  choose: (answer: string, choices: string[]) => string,
) {
  const next = await service.next(learner);
  if (next.kind !== 'lesson') throw new Error(`expected a lesson, got ${next.kind}`);
  let last;
  for (const question of next.place.lesson.questions)
    last = await service.answer(learner, {
      lessonId: next.place.lesson.id,
      questionId: question.id,
      choiceId: choose(question.answer, question.choices),
    });
  return last;
}

const right = (answer: string) => answer;
const wrongOnTrueFalse = (answer: string, choices: string[]) =>
  choices.length === 2 ? choices.find((c) => c !== answer)! : answer;

describe('LearningService', () => {
  it('a new learner is created with the language of their locale', async () => {
    const { service, store } = setUp();

    const learner = await service.learner(identity);

    expect(learner.language).toBe('fr');
    expect(store.learners).toHaveLength(1);
    expect((await service.learner(identity)).id).toBe(learner.id);
  });

  it('next serves the first lesson, marks it opened and counts as activity', async () => {
    const { service, store, activity } = setUp();
    const learner = await service.learner(identity);

    const next = await service.next(learner);

    expect(next).toMatchObject({
      kind: 'lesson',
      place: { lesson: { id: 'f1-a' }, phase: { id: 'phase-1' }, position: 1, total: 2 },
    });
    expect(await store.hasOpenedLesson(learner.id, 'f1-a')).toBe(true);
    expect(activity).toEqual([IN_PHASE_2]);
  });

  it('when a learner answers twice, the second answer is ignored', async () => {
    const { service } = setUp();
    const learner = await service.learner(identity);
    await service.next(learner);

    await service.answer(learner, { lessonId: 'f1-a', questionId: 'q1', choiceId: 'b' });
    const again = await service.answer(learner, {
      lessonId: 'f1-a',
      questionId: 'q1',
      choiceId: 'a',
    });

    expect(again).toMatchObject({
      kind: 'answered',
      feedback: { alreadyAnswered: true, answer: { choiceId: 'b', correct: true } },
    });
  });

  it('a lesson not served yet cannot be answered', async () => {
    const { service } = setUp();
    const learner = await service.learner(identity);

    const result = await service.answer(learner, {
      lessonId: 'f1-b',
      questionId: 'q1',
      choiceId: 'b',
    });

    expect(result).toEqual({ kind: 'refused', reason: 'notReached' });
  });

  it('the last lesson of a phase answered well enough awards the brevet once', async () => {
    const { service, store } = setUp();
    const learner = await service.learner(identity);

    await takeNextLesson(service, learner, right);
    const last = await takeNextLesson(service, learner, right);

    expect(last).toMatchObject({
      kind: 'answered',
      next: { kind: 'summary', brevet: { phase: { id: 'phase-1' }, score: 100 } },
    });
    expect(await store.listBrevets(learner.id)).toEqual([
      { phaseId: 'phase-1', earnedAt: IN_PHASE_2.toISOString(), score: 100 },
    ]);
  });

  it('a phase finished below the passing score is complete without a brevet', async () => {
    const { service, store } = setUp();
    const learner = await service.learner(identity);

    await takeNextLesson(service, learner, right);
    const last = await takeNextLesson(service, learner, wrongOnTrueFalse);
    const progress = await service.progress(learner);

    expect(last).toMatchObject({ next: { kind: 'summary', summary: { percent: 50 } } });
    expect(last).not.toHaveProperty('next.brevet');
    expect(await store.listBrevets(learner.id)).toEqual([]);
    expect(progress.phases[0]).toMatchObject({ state: 'complete', score: 75, brevet: undefined });
  });

  it('after phase 1 the learner chooses a track, then gets its lessons after the common one', async () => {
    const { service } = setUp();
    let learner = await service.learner(identity);
    await takeNextLesson(service, learner, right);
    await takeNextLesson(service, learner, right);

    expect(await service.next(learner)).toMatchObject({
      kind: 'chooseTrack',
      phase: { id: 'phase-2' },
    });
    const chosen = await service.chooseTrack(learner, 'support');
    if (chosen.kind === 'unknownTrack') throw new Error('support is a track');
    learner = chosen.learner;
    await takeNextLesson(service, learner, right);

    expect(await service.next(learner)).toMatchObject({
      kind: 'lesson',
      place: { lesson: { id: 'f2-su' }, position: 2, total: 2 },
    });
  });

  it('progress and the next step agree: the tab is told what next would serve', async () => {
    const { service } = setUp();
    const learner = await service.learner(identity);
    await takeNextLesson(service, learner, right);

    const progress = await service.progress(learner);

    expect(progress.next).toMatchObject({ kind: 'lesson', lesson: { id: 'f1-b' } });
    expect(await service.next(learner)).toMatchObject({
      kind: 'lesson',
      place: { lesson: { id: 'f1-b' } },
    });
  });

  it('someone never seen gets the programme with nothing done, and is not created', async () => {
    const { service, store } = setUp();

    const { known, progress } = await service.progressOf(identity);

    expect(known).toBe(false);
    expect(store.learners).toEqual([]);
    expect(progress.phases.map((p) => p.lessonsDone)).toEqual([0, 0, 0]);
    expect(progress.next).toMatchObject({ kind: 'lesson', lesson: { id: 'f1-a' } });
  });
});
