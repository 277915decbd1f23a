import path from 'node:path';
import { loadProgramme } from '../../src/curriculum/load-programme';
import { type LearnerActivity, lessonPlace, openWork, standing } from '../../src/learning/standing';

// Test programme: phase-1 (f1-a, f1-b) opens 2025-10-01; phase-2 (f2-a common, then one lesson
// per track) opens 2026-01-15 with a track choice; phase-3 (f3-a) opens 2099-01-01.
const programme = loadProgramme(path.join(__dirname, '..', 'fixtures', 'content'));
const BEFORE_PHASE_2 = new Date('2026-01-10T10:00:00Z');
const IN_PHASE_2 = new Date('2026-02-02T10:00:00Z');

function activity(patch: Partial<LearnerActivity> = {}): LearnerActivity {
  return { trackId: null, openedLessons: [], completedLessons: [], brevets: [], ...patch };
}

const done = (lessonId: string, correct: number, total = 2) => ({ lessonId, correct, total });

describe('standing', () => {
  it('when a learner has done nothing, the first lesson of the first phase comes next', () => {
    const result = standing(programme, activity(), IN_PHASE_2);

    expect(result.phases.map((p) => p.state)).toEqual(['open', 'open', 'notOpen']);
    expect(result.phases[0]).toMatchObject({
      lessonsDone: 0,
      lessonsTotal: 2,
      score: null,
      started: false,
      earnsBrevet: false,
    });
    expect(result.next).toMatchObject({ kind: 'lesson', lesson: { id: 'f1-a' } });
  });

  it('when a lesson is opened but not finished, it is in progress and still comes next', () => {
    const result = standing(programme, activity({ openedLessons: ['f1-a'] }), IN_PHASE_2);

    expect(result.phases[0]!.lessons.map((l) => l.state)).toEqual(['inProgress', 'todo']);
    expect(result.phases[0]!.started).toBe(true);
    expect(result.next).toMatchObject({ kind: 'lesson', lesson: { id: 'f1-a' } });
  });

  it('when every lesson of a phase is done, it is complete and scored over all first answers', () => {
    const result = standing(
      programme,
      activity({
        openedLessons: ['f1-a', 'f1-b'],
        completedLessons: [done('f1-a', 2), done('f1-b', 1)],
      }),
      IN_PHASE_2,
    );

    const phase1 = result.phases[0]!;
    expect(phase1.state).toBe('complete');
    expect(phase1.lessons.map((l) => l.score)).toEqual([100, 50]);
    expect(phase1).toMatchObject({ correct: 3, answered: 4, score: 75, lessonsDone: 2 });
  });

  it('a complete phase earns the brevet at the passing score, not below it', () => {
    const at = (correct: number) =>
      standing(
        programme,
        activity({ completedLessons: [done('f1-a', 5, 5), done('f1-b', correct, 5)] }),
        IN_PHASE_2,
      ).phases[0]!;

    expect(at(3)).toMatchObject({ score: 80, earnsBrevet: true });
    expect(at(2)).toMatchObject({ score: 70, earnsBrevet: false });
  });

  it('a phase not complete never earns the brevet, whatever its score', () => {
    const phase1 = standing(
      programme,
      activity({ completedLessons: [done('f1-a', 2)] }),
      IN_PHASE_2,
    ).phases[0]!;

    expect(phase1).toMatchObject({ state: 'open', score: 100, earnsBrevet: false });
  });

  it('the brevet already earned is reported with its phase', () => {
    const brevet = { phaseId: 'phase-1', earnedAt: '2026-01-05T10:00:00Z' };
    const result = standing(programme, activity({ brevets: [brevet] }), IN_PHASE_2);

    expect(result.phases[0]!.brevet).toBe(brevet);
    expect(result.phases[1]!.brevet).toBeUndefined();
  });

  it('when phase 1 is done and no track is chosen, the track choice comes next', () => {
    const result = standing(
      programme,
      activity({ completedLessons: [done('f1-a', 2), done('f1-b', 2)] }),
      IN_PHASE_2,
    );

    const phase2 = result.phases[1]!;
    expect(phase2).toMatchObject({ trackPending: true, trackId: null, lessonsTotal: 1 });
    expect(phase2.state).toBe('open');
    expect(result.next).toMatchObject({ kind: 'chooseTrack', phase: { id: 'phase-2' } });
  });

  it('a chosen track adds its lessons after the common ones', () => {
    const result = standing(
      programme,
      activity({
        trackId: 'support',
        completedLessons: [done('f1-a', 2), done('f1-b', 2), done('f2-a', 2)],
      }),
      IN_PHASE_2,
    );

    const phase2 = result.phases[1]!;
    expect(phase2.lessons.map((l) => l.lesson.id)).toEqual(['f2-a', 'f2-su']);
    expect(phase2).toMatchObject({ trackId: 'support', trackPending: false });
    expect(result.phases[0]!.trackId).toBeNull();
    expect(result.next).toMatchObject({ kind: 'lesson', lesson: { id: 'f2-su' } });
  });

  it('a lesson of another track counts for nothing', () => {
    const phase2 = standing(
      programme,
      activity({ trackId: 'support', completedLessons: [done('f2-op', 2)] }),
      IN_PHASE_2,
    ).phases[1]!;

    expect(phase2).toMatchObject({ lessonsDone: 0, score: null, started: false });
  });

  it('before a phase opens its lessons are locked and the wait for it comes next', () => {
    const result = standing(
      programme,
      activity({ trackId: 'support', completedLessons: [done('f1-a', 2), done('f1-b', 2)] }),
      BEFORE_PHASE_2,
    );

    expect(result.phases[1]!.state).toBe('notOpen');
    expect(result.phases[1]!.lessons.map((l) => l.state)).toEqual(['locked', 'locked']);
    expect(result.next).toMatchObject({ kind: 'phaseNotOpen', phase: { id: 'phase-2' } });
  });

  it('a track choice in a phase not open yet waits for the phase', () => {
    const result = standing(
      programme,
      activity({ completedLessons: [done('f1-a', 2), done('f1-b', 2)] }),
      BEFORE_PHASE_2,
    );

    expect(result.next).toMatchObject({ kind: 'phaseNotOpen', phase: { id: 'phase-2' } });
  });

  it('when every phase is done, nothing comes next', () => {
    const result = standing(
      programme,
      activity({
        trackId: 'management',
        completedLessons: ['f1-a', 'f1-b', 'f2-a', 'f2-ma', 'f3-a'].map((id) => done(id, 2)),
      }),
      IN_PHASE_2,
    );

    expect(result.phases.map((p) => p.state)).toEqual(['complete', 'complete', 'complete']);
    expect(result.next).toEqual({ kind: 'allDone' });
  });
});

describe('lessonPlace', () => {
  it("places a track lesson after the phase's common lessons", () => {
    const place = lessonPlace(programme, programme.lesson('f2-su')!, 'support');

    expect(place).toMatchObject({ phase: { id: 'phase-2' }, position: 2, total: 2 });
  });

  it('without a track, a common lesson is placed among the common lessons only', () => {
    expect(lessonPlace(programme, programme.lesson('f2-a')!, null)).toMatchObject({
      position: 1,
      total: 1,
    });
  });
});

describe('openWork', () => {
  it('counts the lessons of open phases for the track, and a track choice still to make', () => {
    expect(openWork(programme, null, IN_PHASE_2).items).toBe(2 + 1 + 1);
    expect(openWork(programme, 'support', IN_PHASE_2).items).toBe(2 + 2);
    expect(openWork(programme, 'support', BEFORE_PHASE_2).items).toBe(2);
  });

  it('lists every lesson of the open phases, whatever the track', () => {
    expect(openWork(programme, 'support', IN_PHASE_2).lessonIds.sort()).toEqual(
      ['f1-a', 'f1-b', 'f2-a', 'f2-ma', 'f2-op', 'f2-su'].sort(),
    );
  });
});
