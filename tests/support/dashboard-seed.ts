import { type Insertable, type Kysely, sql } from 'kysely';
import { type Programme } from '../../src/curriculum/programme';
import { type Lesson } from '../../src/curriculum/curriculum-types';
import {
  type AssignmentsTable,
  type BrevetsTable,
  type Database,
  type LearnerActivityTable,
  type LearnersTable,
  type LessonProgressTable,
  type QuizAnswersTable,
  type TeamMembersTable,
  type TeamsTable,
} from '../../src/storage/schema';

/**
 * A programme's worth of history for the dashboard (its browser test, its screenshot, its
 * benchmark): learners in Belgian units who took the real curriculum over months, in the four
 * languages, written straight into the tables in batches (migration 007's triggers keep the
 * dashboard's totals as they would for the bot). Deterministic for a given seed.
 */
export interface SeedOptions {
  tenantId: string;
  learners: number;
  units: number;
  /** First answers to write, at least (whole lessons of first answers, so a little more). */
  answers: number;
  /** The last day of the history (YYYY-MM-DD). */
  today: string;
  seed?: number;
  /** Rows per INSERT (SQLite and PostgreSQL both take 1,000 rows of 7 columns). */
  batch?: number;
  /** Called after each batch of learners, with how many are written. */
  progress?: (learners: number) => void;
}

export interface Seeded {
  userKeys: string[];
  units: { teamId: string; name: string }[];
  rows: {
    learners: number;
    lessonProgress: number;
    answers: number;
    brevets: number;
    activityDays: number;
    members: number;
  };
}

/** mulberry32: small, fast, deterministic. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!,
    weighted: <T>(items: readonly (readonly [T, number])[]) => {
      let r = next() * items.reduce((sum, [, w]) => sum + w, 0);
      for (const [item, weight] of items) if ((r -= weight) < 0) return item;
      return items[items.length - 1]![0];
    },
    uuid: () =>
      'xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx'.replace(/x/g, () =>
        Math.floor(next() * 16).toString(16),
      ),
  };
}

const BASES = [
  '1 Bataljon Carabiniers Grenadiers',
  '2 Bataljon Commando',
  '3 Bataljon Parachutisten',
  '1 Régiment de Chasseurs Ardennais',
  '12e-13e Bataillon de Ligne Prince Léopold',
  'Bataljon Bevrijding – 5 Linie',
  'Bataillon d’Artillerie',
  'Bataillon Génie 4',
  '11 Bataljon Genie',
  'Bataillon ISTAR',
  '4 Groupe CIS',
  '6 Groep CIS',
  'Régiment Logistique 4',
  'Bataljon Logistiek 18',
  'Groupe Médical 2',
  'Hôpital Militaire Reine Astrid',
  'Base aérienne de Florennes',
  'Vliegbasis Kleine-Brogel',
  'Base aérienne de Beauvechain',
  'Luchtmachtbasis Melsbroek',
  'Wing Heli Beauvechain',
  'Marinebasis Zeebrugge',
  'Base navale de Zeebrugge',
  'Fregat Louise-Marie',
  'Mijnenjager Lobelia',
  'Centre de Compétence Terre',
  'Competentiecentrum Luchtcomponent',
  'Kwartier Koningin Elisabeth Evere',
  'Quartier Roi Albert Ier',
  'Kazerne Leopoldsburg',
  'Quartier Saffraanberg',
  'École Royale Militaire',
  'Koninklijk Hoger Instituut voor Defensie',
  'Defensiestaf – ACOS Ops & Trg',
  'État-major – DG Human Resources',
  'DG Material Resources',
  'Cyber Command',
  'Quartier de Marche-en-Famenne',
  'Kwartier Lombardsijde',
  'Elsenborn Kamp',
  'Ostbelgien Ausbildungszentrum',
  'Kamp Beverlo',
] as const;
const SUBUNITS = [
  'Staf',
  'État-major',
  'Compagnie A',
  'Compagnie B',
  'Compagnie C',
  'Compagnie d’appui',
  'Peloton 1',
  'Peloton 2',
  'Escadrille 1',
  'Dienst Personeel',
  'Service Logistique',
  'Werkplaats',
] as const;
const LANGUAGES = [
  ['nl', 52],
  ['fr', 39],
  ['de', 3],
  ['en', 6],
] as const;
const TRACKS = [
  ['operational', 45],
  ['support', 37],
  ['management', 18],
] as const;

/** `count` distinct Belgian-sounding unit names: a base unit and one of its parts. */
export function unitNames(count: number, rnd = generator(1)): string[] {
  const all = BASES.flatMap((base) => SUBUNITS.map((sub) => `${base} – ${sub}`));
  for (let i = all.length - 1; i > 0; i -= 1) {
    const j = Math.floor(rnd.next() * (i + 1));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  const names = all.slice(0, count);
  for (let i = names.length; i < count; i += 1) names.push(`${all[i % all.length]} ${i}`);
  return names;
}

const DAY = 86_400_000;
const toDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export async function seedDashboard(
  db: Kysely<Database>,
  programme: Programme,
  options: SeedOptions,
): Promise<Seeded> {
  const rnd = generator(options.seed ?? 2026);
  const batch = options.batch ?? 1000;
  const todayMs = Date.parse(`${options.today}T17:00:00Z`);
  const phases = programme.phases.filter((phase) => phase.opensAt <= options.today);
  // Without a track, a learner goes no further than the phases before the track choice.
  const firstChoice = phases.findIndex((phase) => phase.chooseTrack);
  const sequenceOf = (trackId: string | null): Lesson[] =>
    (trackId || firstChoice < 0 ? phases : phases.slice(0, firstChoice)).flatMap((phase) =>
      programme.sequence(phase.id, trackId),
    );
  const longest = sequenceOf(TRACKS[0][0]).length;

  // How many lessons each learner finished: a spread (some never start, many finish phase 1),
  // then evened out so that the total gives the answers asked for.
  const questionsPerLesson =
    programme.curriculum.lessons.reduce((sum, l) => sum + l.questions.length, 0) /
      programme.curriculum.lessons.length || 3;
  const lessonsWanted = Math.ceil(options.answers / questionsPerLesson);
  const done = Array.from({ length: options.learners }, () => {
    const r = rnd.next();
    if (r < 0.06) return 0;
    if (r < 0.22) return rnd.int(1, 9);
    return rnd.int(10, longest);
  });
  let total = done.reduce((a, b) => a + b, 0);
  const cap = longest * options.learners;
  const target = Math.min(lessonsWanted, cap);
  while (total < target) {
    const i = rnd.int(0, options.learners - 1);
    if (done[i]! > 0 && done[i]! < longest) {
      done[i]! += 1;
      total += 1;
    } else if (done[i] === 0 && rnd.next() < 0.05) {
      done[i] = 1;
      total += 1;
    }
  }
  while (total > target) {
    const i = rnd.int(0, options.learners - 1);
    if (done[i]! > 1) {
      done[i]! -= 1;
      total -= 1;
    }
  }

  const names = unitNames(options.units, rnd);
  const units = names.map((name, i) => ({
    teamId: `19:${(i + 1).toString(36).padStart(4, '0')}${rnd.uuid().slice(0, 20)}@thread.tacv2`,
    name,
  }));
  const started = Date.parse(`${phases[0]?.opensAt ?? options.today}T07:00:00Z`);
  const phaseOpens = new Map(phases.map((p) => [p.id, Date.parse(`${p.opensAt}T07:00:00Z`)]));
  // Questions harder than others, and one whose German text misleads (a translation problem).
  const difficulty = new Map<string, number>();
  for (const lesson of programme.curriculum.lessons)
    for (const question of lesson.questions)
      difficulty.set(`${lesson.id} ${question.id}`, 0.05 + rnd.next() * 0.3);
  const mistranslated = `${programme.curriculum.lessons[3]?.id} q2`;

  const seeded: Seeded = {
    userKeys: [],
    units,
    rows: {
      learners: 0,
      lessonProgress: 0,
      answers: 0,
      brevets: 0,
      activityDays: 0,
      members: 0,
    },
  };
  const pending = {
    learners: [] as Insertable<LearnersTable>[],
    progress: [] as Insertable<LessonProgressTable>[],
    answers: [] as Insertable<QuizAnswersTable>[],
    brevets: [] as Insertable<BrevetsTable>[],
    days: [] as Insertable<LearnerActivityTable>[],
    members: [] as Insertable<TeamMembersTable>[],
  };
  const flush = async () => {
    await db.transaction().execute(async (trx) => {
      const insert = async <T>(table: keyof Database, rows: T[]) => {
        for (let i = 0; i < rows.length; i += batch)
          await trx
            .insertInto(table)
            .values(rows.slice(i, i + batch) as never)
            .execute();
      };
      // Learners first: the triggers read their tenant and track.
      await insert('learners', pending.learners);
      await insert('lesson_progress', pending.progress);
      await insert('quiz_answers', pending.answers);
      await insert('brevets', pending.brevets);
      await insert('learner_activity', pending.days);
      await insert('team_members', pending.members);
    });
    seeded.rows.learners += pending.learners.length;
    seeded.rows.lessonProgress += pending.progress.length;
    seeded.rows.answers += pending.answers.length;
    seeded.rows.brevets += pending.brevets.length;
    seeded.rows.activityDays += pending.days.length;
    seeded.rows.members += pending.members.length;
    for (const list of Object.values(pending)) list.length = 0;
    options.progress?.(seeded.rows.learners);
  };

  await db
    .insertInto('teams')
    .values(
      units.map((unit): Insertable<TeamsTable> => ({
        team_id: unit.teamId,
        tenant_id: options.tenantId,
        name: unit.name,
        service_url: 'https://smba.trafficmanager.net/emea/',
        channel_id: unit.teamId,
        time_zone: 'Europe/Brussels',
        installed_at: new Date(started).toISOString(),
      })),
    )
    .execute();

  for (let i = 0; i < options.learners; i += 1) {
    const id = rnd.uuid();
    const userKey = rnd.uuid();
    seeded.userKeys.push(userKey);
    const language = rnd.weighted(LANGUAGES);
    const unit = units[i % units.length]!;
    const count = done[i]!;
    const firstPhaseLessons = phases[0] ? programme.sequence(phases[0].id, null).length : 0;
    const track = count > firstPhaseLessons || rnd.next() < 0.3 ? rnd.weighted(TRACKS) : null;
    const sequence = sequenceOf(track);
    // A start over the programme (more of them early), a lesson every few days, never after today.
    const span = Math.max(1, Math.floor((todayMs - started) / DAY) - 60);
    let day = started + Math.floor(rnd.next() ** 1.6 * span) * DAY;
    const dates: number[] = [];
    // Half of those who finished nothing never opened a lesson either (they only said hello).
    const opened = count === 0 && rnd.next() < 0.5 ? 0 : Math.min(count + 1, sequence.length);
    for (let k = 0; k < opened; k += 1) {
      day += rnd.int(1, 9) * DAY;
      const opens = phaseOpens.get(sequence[k]!.phaseId) ?? started;
      if (day < opens) day = opens + rnd.int(0, 20) * DAY;
      dates.push(day);
    }
    const last = dates[dates.length - 1] ?? day;
    const squeeze = last > todayMs ? (todayMs - started) / (last - started) : 1;
    const at = (ms: number) => started + Math.floor((ms - started) * squeeze);
    pending.learners.push({
      id,
      tenant_id: options.tenantId,
      user_key: userKey,
      language,
      track_id: track,
      created_at: new Date(at(dates[0] ?? day) - DAY).toISOString(),
      updated_at: new Date(at(dates[0] ?? day)).toISOString(),
    });
    pending.members.push({
      team_id: unit.teamId,
      tenant_id: options.tenantId,
      user_key: userKey,
      seen_at: new Date(todayMs).toISOString(),
    });
    const seenDays = new Set<string>();
    const phaseScore = new Map<string, { right: number; questions: number; done: number }>();
    dates.forEach((ms, k) => {
      const lesson = sequence[k]!;
      const when = at(ms);
      const openedAt = new Date(when).toISOString();
      const finished = k < count;
      let right = 0;
      const answered = finished ? lesson.questions.length : rnd.int(0, 1);
      lesson.questions.slice(0, answered).forEach((question) => {
        const key = `${lesson.id} ${question.id}`;
        const miss =
          (difficulty.get(key) ?? 0.2) + (key === mistranslated && language === 'de' ? 0.45 : 0);
        const correct = rnd.next() >= miss ? 1 : 0;
        right += correct;
        pending.answers.push({
          learner_id: id,
          lesson_id: lesson.id,
          question_id: question.id,
          choice_id: correct
            ? question.answer
            : (question.choices.find((c) => c !== question.answer) ?? 'x'),
          correct,
          answered_at: new Date(when + 60_000).toISOString(),
          language,
        });
      });
      pending.progress.push({
        learner_id: id,
        lesson_id: lesson.id,
        opened_at: openedAt,
        completed_at: finished ? new Date(when + 240_000).toISOString() : null,
        correct_count: finished ? right : null,
        question_count: finished ? lesson.questions.length : null,
      });
      const dayKey = toDay(when);
      if (!seenDays.has(dayKey)) {
        seenDays.add(dayKey);
        pending.days.push({ learner_id: id, day: dayKey, last_at: openedAt });
      }
      if (!finished) return;
      const score = phaseScore.get(lesson.phaseId) ?? { right: 0, questions: 0, done: 0 };
      score.right += right;
      score.questions += lesson.questions.length;
      score.done += 1;
      phaseScore.set(lesson.phaseId, score);
      if (score.done === programme.sequence(lesson.phaseId, track).length) {
        const percent = Math.round((score.right / score.questions) * 100);
        if (percent >= programme.passingScore)
          pending.brevets.push({
            learner_id: id,
            phase_id: lesson.phaseId,
            earned_at: new Date(when + 300_000).toISOString(),
            score: percent,
          });
      }
    });
    // After their lessons, most come back now and then for spaced review, up to today.
    const lastLesson = dates.length > 0 ? at(dates[dates.length - 1]!) : undefined;
    if (lastLesson !== undefined && rnd.next() < 0.8) {
      let review = lastLesson;
      for (;;) {
        review += rnd.int(3, 40) * DAY;
        if (review > todayMs) break;
        const dayKey = toDay(review);
        if (seenDays.has(dayKey)) continue;
        seenDays.add(dayKey);
        pending.days.push({ learner_id: id, day: dayKey, last_at: new Date(review).toISOString() });
      }
    }
    // Members of the unit who never opened Brevet (about one in twelve).
    if (rnd.next() < 0.09)
      pending.members.push({
        team_id: unit.teamId,
        tenant_id: options.tenantId,
        user_key: rnd.uuid(),
        seen_at: new Date(todayMs).toISOString(),
      });
    // Small transactions, as the bot's own: PostgreSQL then prunes the old versions of the
    // dashboard's total rows, which every learner's rows update.
    if (pending.learners.length >= 50) await flush();
  }
  await flush();

  // A few assignments per unit, the last one a few days to weeks ago.
  const assignments: Insertable<AssignmentsTable>[] = [];
  // Each was delivered within the hour (its outbox rows since purged), as the bot finishes them.
  for (const unit of units) {
    const count = rnd.int(0, 4);
    for (let k = 0; k < count; k += 1) {
      const id = rnd.uuid();
      const lessonId = rnd.pick(programme.curriculum.lessons).id;
      const requestedBy = rnd.uuid();
      const createdMs = todayMs - rnd.int(1, 200) * DAY;
      assignments.push({
        id,
        team_id: unit.teamId,
        lesson_id: lessonId,
        requested_by: requestedBy,
        language: 'nl',
        created_at: new Date(createdMs).toISOString(),
        total: 50,
        finished_at: new Date(createdMs + 3_600_000).toISOString(),
        final_sent: 48,
        final_failed: 1,
        final_blocked: 1,
      });
    }
  }
  for (let i = 0; i < assignments.length; i += batch)
    await db
      .insertInto('assignments')
      .values(assignments.slice(i, i + batch))
      .execute();
  // Fresh planner statistics, as a database that grew over months would have.
  await sql`analyze`.execute(db);
  return seeded;
}
