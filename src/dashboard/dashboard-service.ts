import { type Programme } from '../curriculum/programme';
import { brusselsDate } from '../time/zones';
import { LANGUAGES, type Language } from '../i18n/languages';
import {
  type DashboardStore,
  type LessonFunnelRow,
  type PhaseRequirement,
  type UnitFigures,
} from './dashboard-store';
import {
  type ActivityDocument,
  type CompletionDocument,
  type CompletionRow,
  type FunnelDocument,
  type FunnelLesson,
  type QuestionRow,
  type QuestionsDocument,
  type SummaryDocument,
  type UnitDocument,
  type UnitRow,
  type UnitsDocument,
} from './programme-documents';

/** A question needs this many first answers in a language before its share there is compared. */
export const MIN_ANSWERS_TO_COMPARE = 20;
/** Percentage points between a question's best and worst language that flag it for review. */
export const LANGUAGE_GAP_FLAG = 20;

const share = (part: number, whole: number) =>
  whole > 0 ? Math.round((part / whole) * 1000) / 10 : null;

function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The Monday of a day's week (YYYY-MM-DD), as the database computes it (migration 007). */
export function weekOf(day: string): string {
  const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
  return addDays(day, -weekday);
}

/**
 * The training office's programme dashboard: headline figures, weekly series, completion,
 * lesson funnel, units and questions, over one tenant. Pure domain over a DashboardStore: who may
 * see it is decided by the HTTP layer (admins only).
 */
export class DashboardService {
  private readonly requirements: PhaseRequirement[];

  constructor(
    private readonly programme: Programme,
    private readonly store: DashboardStore,
    private readonly options: { population?: number; clock?: () => Date } = {},
  ) {
    this.requirements = phaseRequirements(programme);
  }

  /** Writes the curriculum's shape to the database (at start-up). */
  syncProgramme(): Promise<boolean> {
    return this.store.syncProgramme({
      lessons: this.programme.curriculum.lessons.map((lesson) => ({
        lessonId: lesson.id,
        phaseId: lesson.phaseId,
        trackId: lesson.trackId ?? null,
      })),
      requirements: this.requirements,
      passingScore: this.programme.passingScore,
    });
  }

  private today(): string {
    return brusselsDate(this.options.clock?.() ?? new Date());
  }

  async summary(tenantId: string, language: Language): Promise<SummaryDocument> {
    const today = this.today();
    const headline = await this.store.headline(tenantId, {
      days7: addDays(today, -6),
      days30: addDays(today, -29),
    });
    const brevets = new Map(headline.brevets.map((b) => [b.phaseId, b.brevets]));
    return {
      today,
      population: this.options.population ?? null,
      learners: headline.learners,
      active7: headline.active7,
      active30: headline.active30,
      lessonsCompleted: headline.lessonsCompleted,
      phases: this.programme.phases.map((phase) => ({
        phaseId: phase.id,
        number: phase.number,
        title: phase.title[language],
        opensAt: phase.opensAt,
        brevets: brevets.get(phase.id) ?? 0,
      })),
    };
  }

  async activity(tenantId: string, language: Language): Promise<ActivityDocument> {
    const figures = await this.store.weekly(tenantId);
    const phaseIds = this.programme.phases.map((p) => p.id);
    const dataWeeks = [...figures.activity, ...figures.brevets].map((row) => row.week).sort();
    const opening = this.programme.phases[0]?.opensAt;
    const first = [opening && weekOf(opening), dataWeeks[0]].filter(Boolean).sort()[0];
    const current = weekOf(this.today());
    const last = [current, dataWeeks[dataWeeks.length - 1] ?? current].sort()[1]!;
    const active = new Map(figures.activity.map((row) => [row.week, row.learners]));
    const brevets = new Map<string, number>();
    for (const row of figures.brevets) brevets.set(`${row.week} ${row.phaseId}`, row.brevets);
    const weeks: ActivityDocument['weeks'] = [];
    for (let week = first ?? current; week <= last; week = addDays(week, 7))
      weeks.push({
        week,
        activeLearners: active.get(week) ?? 0,
        brevets: Object.fromEntries(phaseIds.map((id) => [id, brevets.get(`${week} ${id}`) ?? 0])),
      });
    return {
      phases: this.programme.phases.map((p) => ({ phaseId: p.id, title: p.title[language] })),
      weeks,
    };
  }

  async completion(tenantId: string, language: Language): Promise<CompletionDocument> {
    const figures = await this.store.completion(tenantId);
    const trackTitle = (id: string | null) => this.programme.track(id)?.title[language] ?? id ?? '';
    const trackIds: (string | null)[] = [...this.programme.curriculum.tracks.map((t) => t.id)];
    const languages = [...LANGUAGES];
    for (const row of figures.enrolled) {
      if (!trackIds.includes(row.trackId)) trackIds.push(row.trackId);
      if (!(languages as string[]).includes(row.language)) languages.push(row.language as Language);
    }
    type Counts = Pick<CompletionRow, 'learners' | 'started' | 'completed' | 'brevets'>;
    const sum = (rows: Partial<Counts>[]): Counts => {
      const total: Counts = { learners: 0, started: 0, completed: 0, brevets: 0 };
      for (const row of rows) {
        total.learners += row.learners ?? 0;
        total.started += row.started ?? 0;
        total.completed += row.completed ?? 0;
        total.brevets += row.brevets ?? 0;
      }
      return total;
    };
    return {
      phases: this.programme.phases.map((phase) => {
        const groups = figures.groups.filter((g) => g.phaseId === phase.id);
        return {
          phaseId: phase.id,
          number: phase.number,
          title: phase.title[language],
          byTrack: trackIds.map((trackId) => ({
            key: trackId,
            title: trackTitle(trackId),
            ...sum([
              ...figures.enrolled.filter((e) => e.trackId === trackId),
              ...groups.filter((g) => g.trackId === trackId),
            ]),
          })),
          byLanguage: languages.map((code) => ({
            key: code,
            title: code,
            ...sum([
              ...figures.enrolled.filter((e) => e.language === code),
              ...groups.filter((g) => g.language === code),
            ]),
          })),
        };
      }),
    };
  }

  private funnelLessons(rows: LessonFunnelRow[], language: Language): FunnelLesson[] {
    const byLesson = new Map(rows.map((row) => [row.lessonId, row]));
    return this.programme.curriculum.lessons.map((lesson) => ({
      lessonId: lesson.id,
      phaseId: lesson.phaseId,
      trackId: lesson.trackId ?? null,
      title: lesson.text[language].title,
      opened: byLesson.get(lesson.id)?.opened ?? 0,
      finished: byLesson.get(lesson.id)?.finished ?? 0,
      passed: byLesson.get(lesson.id)?.passed ?? 0,
    }));
  }

  async funnel(tenantId: string, language: Language): Promise<FunnelDocument> {
    const rows = await this.store.lessonFunnel(tenantId);
    return {
      passingScore: this.programme.passingScore,
      lessons: this.funnelLessons(rows, language),
    };
  }

  private phaseList(language: Language) {
    return this.programme.phases.map((p) => ({
      phaseId: p.id,
      number: p.number,
      title: p.title[language],
    }));
  }

  private unitRow(figures: UnitFigures): UnitRow {
    const byPhase = new Map(figures.phases.map((p) => [p.phaseId, p]));
    const phases = this.programme.phases.map((phase) => {
      const p = byPhase.get(phase.id);
      return {
        phaseId: phase.id,
        started: p?.started ?? 0,
        completed: p?.completed ?? 0,
        averageScore: p && p.scored > 0 ? Math.round((p.scoreSum / p.scored) * 100) : null,
        brevets: p?.brevets ?? 0,
      };
    });
    const known = figures.phases.filter((p) => this.programme.phase(p.phaseId));
    const scored = known.reduce((total, p) => total + p.scored, 0);
    return {
      unitId: figures.teamId,
      name: figures.name ?? '',
      members: figures.members,
      learners: figures.learners,
      phases,
      averageScore:
        scored > 0
          ? Math.round((known.reduce((total, p) => total + p.scoreSum, 0) / scored) * 100)
          : null,
      brevets: phases.reduce((total, p) => total + p.brevets, 0),
      lastAssignment: figures.lastAssignment,
    };
  }

  async units(tenantId: string, language: Language): Promise<UnitsDocument> {
    const units = await this.store.units(tenantId);
    return {
      phases: this.phaseList(language),
      units: units
        .map((unit) => this.unitRow(unit))
        .sort((a, b) => a.name.localeCompare(b.name) || a.unitId.localeCompare(b.unitId)),
    };
  }

  /** One unit's figures and lesson funnel; undefined for a unit not in this tenant. */
  async unit(
    tenantId: string,
    unitId: string,
    language: Language,
  ): Promise<UnitDocument | undefined> {
    const [figures] = await this.store.units(tenantId, unitId);
    if (!figures) return undefined;
    const lessons = await this.store.unitLessonFunnel(
      tenantId,
      unitId,
      this.programme.passingScore,
    );
    return {
      phases: this.phaseList(language),
      unit: this.unitRow(figures),
      lessons: this.funnelLessons(lessons, language),
    };
  }

  async questions(tenantId: string, language: Language): Promise<QuestionsDocument> {
    const figures = await this.store.questions(tenantId);
    const rows: QuestionRow[] = [];
    for (const lesson of this.programme.curriculum.lessons)
      for (const question of lesson.questions) {
        const mine = figures.filter(
          (f) => f.lessonId === lesson.id && f.questionId === question.id,
        );
        const answered = mine.reduce((total, f) => total + f.answered, 0);
        if (answered === 0) continue;
        const right = mine.reduce((total, f) => total + f.right, 0);
        const languages = LANGUAGES.map((code) => {
          const f = mine.find((m) => m.language === code);
          return {
            language: code,
            answered: f?.answered ?? 0,
            rightShare: f ? share(f.right, f.answered) : null,
          };
        });
        const compared = languages
          .filter((l) => l.answered >= MIN_ANSWERS_TO_COMPARE && l.rightShare !== null)
          .map((l) => l.rightShare!);
        const languageGap =
          compared.length >= 2
            ? Math.round((Math.max(...compared) - Math.min(...compared)) * 10) / 10
            : null;
        rows.push({
          lessonId: lesson.id,
          lessonTitle: lesson.text[language].title,
          questionId: question.id,
          question: question.text[language].question,
          answered,
          rightShare: share(right, answered)!,
          languages,
          languageGap,
          flagged: languageGap !== null && languageGap >= LANGUAGE_GAP_FLAG,
        });
      }
    rows.sort(
      (a, b) =>
        a.rightShare - b.rightShare ||
        b.answered - a.answered ||
        a.lessonId.localeCompare(b.lessonId) ||
        a.questionId.localeCompare(b.questionId),
    );
    return {
      minAnswersToCompare: MIN_ANSWERS_TO_COMPARE,
      gapFlag: LANGUAGE_GAP_FLAG,
      questions: rows,
    };
  }
}

/**
 * The lessons that complete each phase (unit-service.ts `standing`: every lesson of the learner's
 * sequence): per track where the phase has track lessons, otherwise for everyone. In a phase that
 * asks for a track, learners without one have no requirement (they cannot complete it yet).
 */
export function phaseRequirements(programme: Programme): PhaseRequirement[] {
  const requirements: PhaseRequirement[] = [];
  for (const phase of programme.phases) {
    const lessons = programme.lessonsOfPhase(phase.id);
    if (!phase.chooseTrack && !lessons.some((lesson) => lesson.trackId !== undefined)) {
      if (lessons.length > 0) requirements.push({ phaseId: phase.id, lessons: lessons.length });
      continue;
    }
    for (const track of programme.curriculum.tracks) {
      const count = programme.sequence(phase.id, track.id).length;
      if (count > 0) requirements.push({ phaseId: phase.id, trackId: track.id, lessons: count });
    }
    const common = programme.sequence(phase.id, null).length;
    if (!phase.chooseTrack && common > 0)
      requirements.push({ phaseId: phase.id, trackId: null, lessons: common });
  }
  return requirements;
}
