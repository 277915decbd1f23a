import { type Programme } from '../curriculum/programme';
import { type Language } from '../i18n/languages';
import { isPhaseOpen } from '../curriculum/programme';
import { isKnownTimeZone, knownTimeZoneOrDefault, localParts, zonedTimeToUtc } from '../time/zones';
import { type Logger } from '../logger';
import { type NewOutboxMessage } from '../delivery/outbox-types';
import { standing } from '../learning/standing';
import { type TeamOwnerDirectory } from './team-owner-directory';
import {
  type AssignmentStatus,
  type Member,
  type MemberRecord,
  type Schedule,
  type ScheduleClaim,
  type StoredTeam,
  type Team,
  type UnitStore,
} from './unit-store';

export type Role = 'admin' | 'lead' | 'member';

export type LessonCheck =
  { kind: 'ok' } | { kind: 'unknownLesson' } | { kind: 'phaseNotOpen'; opensAt: string };

export interface PhaseReport {
  phaseId: string;
  started: number;
  completed: number;
  /** Average of members' phase scores (first answers), over members with a score. */
  averageScore: number | null;
  brevets: number;
}

/** `brevet-<team>-<date>.csv`, the team name folded to ASCII letters, digits and dashes. */
export function reportFileName(teamName: string | null, date: string): string {
  const slug = (teamName ?? '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return `brevet-${slug || 'unit'}-${date}.csv`;
}

/** How many ranks the leaderboard shows (ties can make it a few more people). */
export const LEADERBOARD_SIZE = 10;

export interface LeaderboardEntry {
  rank: number;
  name: string;
  brevets: number;
  lessons: number;
  rightAnswers: number;
}

export interface Leaderboard {
  members: number;
  /** Members with at least one completed lesson. */
  participants: number;
  entries: LeaderboardEntry[];
}

/** Where one member stands in one phase. */
export interface PhaseStanding {
  phaseId: string;
  status: 'notStarted' | 'started' | 'completed';
  lessonsDone: number;
  /** Lessons of the phase for the member's track (phase 2 without a track: the common ones). */
  lessonsTotal: number;
  /** Share right of the first answers in the phase's completed lessons; null before any. */
  scorePercent: number | null;
  brevet: boolean;
}

export interface MemberReportRow {
  member: Member;
  trackId: string | null;
  phases: PhaseStanding[];
}

export interface UnitReport {
  members: number;
  phases: PhaseReport[];
  lessons: {
    lessonId: string;
    answered: number;
    questions: { questionId: string; answered: number; sharePercent: number }[];
  }[];
}

/**
 * Unit leads' use cases: roles, pushes, assignments, schedules, reports. Pure domain over a
 * UnitStore; the Teams glue brings rosters and renders cards.
 */
export class UnitService {
  constructor(
    private readonly programme: Programme,
    private readonly store: UnitStore,
    private readonly adminIds: readonly string[],
    private readonly clock: () => Date = () => new Date(),
    /** Where team owners come from, when owners are leads (GRAPH_TEAM_OWNERS_ARE_LEADS). */
    private readonly owners?: { directory: TeamOwnerDirectory; logger: Logger },
  ) {}

  private now(): string {
    return this.clock().toISOString();
  }

  /** Records the team as Teams describes it; returns it with its stored settings. */
  saveTeam(team: Team): Promise<StoredTeam> {
    return this.store.saveTeam(team, this.now());
  }

  team(teamId: string): Promise<StoredTeam | undefined> {
    return this.store.team(teamId);
  }

  /** The zone schedules are written in; false when `timeZone` is not an IANA zone name. */
  async setTimeZone(teamId: string, timeZone: string): Promise<boolean> {
    if (!isKnownTimeZone(timeZone)) return false;
    await this.store.updateTeamSettings(teamId, { timeZone });
    return true;
  }

  setLeaderboard(teamId: string, enabled: boolean): Promise<void> {
    return this.store.updateTeamSettings(teamId, { leaderboardEnabled: enabled });
  }

  /**
   * The team-level leaderboard over the roster: members with at least one completed lesson,
   * ranked by brevets, then lessons completed, then right first answers (ties share a rank).
   */
  async leaderboard(team: Team, members: Member[], size = LEADERBOARD_SIZE): Promise<Leaderboard> {
    const names = new Map(members.map((m) => [m.aadObjectId.toLowerCase(), m.name]));
    const records = await this.store.memberRecords([...names.keys()], team.tenantId);
    const lessonIds = new Set(this.programme.curriculum.lessons.map((l) => l.id));
    const scored = records
      .map((record) => {
        const done = record.completedLessons.filter((l) => lessonIds.has(l.lessonId));
        return {
          name: names.get(record.userKey) ?? '',
          brevets: record.brevets.length,
          lessons: done.length,
          rightAnswers: done.reduce((sum, l) => sum + l.correct, 0),
        };
      })
      .filter((entry) => entry.lessons > 0)
      .sort(
        (a, b) =>
          b.brevets - a.brevets ||
          b.lessons - a.lessons ||
          b.rightAnswers - a.rightAnswers ||
          a.name.localeCompare(b.name),
      );
    const ranked: LeaderboardEntry[] = [];
    scored.forEach((entry, index) => {
      const previous = ranked[index - 1];
      const tied =
        previous !== undefined &&
        previous.brevets === entry.brevets &&
        previous.lessons === entry.lessons &&
        previous.rightAnswers === entry.rightAnswers;
      ranked.push({ ...entry, rank: tied ? previous.rank : index + 1 });
    });
    return {
      members: members.length,
      participants: scored.length,
      entries: ranked.filter((entry) => entry.rank <= size),
    };
  }

  /**
   * The role of someone acting outside the team's channel (a 1:1 chat, a file consent): a lead
   * counts only while they are still in the team's current roster; admins everywhere.
   */
  async roleInRoster(
    team: Pick<Team, 'teamId' | 'tenantId' | 'aadGroupId'>,
    userKey: string,
    roster: readonly Pick<Member, 'aadObjectId'>[],
  ): Promise<Role> {
    const role = await this.roleOf(team, userKey);
    if (role !== 'lead') return role;
    const key = userKey.toLowerCase();
    return roster.some((member) => member.aadObjectId.toLowerCase() === key) ? 'lead' : 'member';
  }

  /**
   * Admins (ADMIN_AAD_OBJECT_IDS) everywhere; leads named for this team, and its owners when a
   * directory is configured and the team's group id is known; everyone else a member.
   */
  async roleOf(
    team: Pick<Team, 'teamId' | 'tenantId' | 'aadGroupId'>,
    userKey: string,
  ): Promise<Role> {
    const key = userKey.toLowerCase();
    if (this.adminIds.includes(key)) return 'admin';
    if (await this.store.isLead(team.teamId, key)) return 'lead';
    if (this.owners && team.aadGroupId && key !== '') {
      const aadGroupId = team.aadGroupId;
      try {
        if (await this.owners.directory.isOwner({ tenantId: team.tenantId, aadGroupId }, key))
          return 'lead';
      } catch (error) {
        // Fail closed: the person is refused as a member; named leads and admins are unaffected.
        this.owners.logger.warn(
          { err: error, teamId: team.teamId },
          'team owners unknown: owner not taken as lead',
        );
      }
    }
    return 'member';
  }

  /** Keeps the unit's members as a roster just read says (the programme dashboard's units). */
  recordRoster(team: Pick<Team, 'teamId' | 'tenantId'>, members: Member[]): Promise<void> {
    return this.store.recordRoster(
      team,
      members.map((m) => m.aadObjectId.toLowerCase()),
      this.now(),
    );
  }

  /** Members Teams says joined or left the unit's team. */
  membersJoined(team: Pick<Team, 'teamId' | 'tenantId'>, userKeys: string[]): Promise<void> {
    return this.store.addMembers(
      team,
      userKeys.map((key) => key.toLowerCase()),
      this.now(),
    );
  }

  membersLeft(team: Pick<Team, 'teamId' | 'tenantId'>, userKeys: string[]): Promise<void> {
    return this.store.removeMembers(
      team,
      userKeys.map((key) => key.toLowerCase()),
    );
  }

  addLead(teamId: string, userKey: string, addedBy: string): Promise<void> {
    return this.store.addLead(teamId, userKey.toLowerCase(), addedBy, this.now());
  }

  removeLead(teamId: string, userKey: string): Promise<boolean> {
    return this.store.removeLead(teamId, userKey.toLowerCase());
  }

  /** Whether a lesson can be pushed or assigned now. */
  checkLesson(lessonId: string, at: Date = this.clock()): LessonCheck {
    const lesson = this.programme.lesson(lessonId);
    if (!lesson) return { kind: 'unknownLesson' };
    const phase = this.programme.phase(lesson.phaseId)!;
    return isPhaseOpen(phase, at)
      ? { kind: 'ok' }
      : { kind: 'phaseNotOpen', opensAt: phase.opensAt };
  }

  push(
    team: Team,
    lessonId: string,
    language: Language,
    fromSchedule?: ScheduleClaim,
  ): Promise<void> {
    return this.store.enqueueChannelLesson(team, lessonId, language, this.now(), fromSchedule);
  }

  assign(
    team: Team,
    lessonId: string,
    requestedBy: string,
    language: Language,
    members: Member[],
    fromSchedule?: ScheduleClaim,
  ): Promise<{ assignmentId: string; total: number }> {
    return this.store.createAssignment({
      team,
      lessonId,
      requestedBy,
      language,
      members: members.map((m) => ({ ...m, aadObjectId: m.aadObjectId.toLowerCase() })),
      at: this.now(),
      fromSchedule,
    });
  }

  /** Schedules a push or assignment at a wall-clock time in the team's time zone. */
  async schedule(input: {
    team: Team;
    action: 'push' | 'assign';
    lessonId: string;
    localTime: string;
    requestedBy: string;
    language: Language;
  }): Promise<
    { kind: 'scheduled'; schedule: Schedule } | { kind: 'badTime' } | { kind: 'inThePast' }
  > {
    const fireAt = zonedTimeToUtc(input.localTime, input.team.timeZone);
    if (!fireAt) return { kind: 'badTime' };
    if (fireAt.getTime() <= this.clock().getTime()) return { kind: 'inThePast' };
    const schedule = await this.store.addSchedule(
      {
        teamId: input.team.teamId,
        action: input.action,
        lessonId: input.lessonId,
        fireAt: fireAt.toISOString(),
        localTime: input.localTime.trim(),
        requestedBy: input.requestedBy,
        language: input.language,
      },
      this.now(),
    );
    return { kind: 'scheduled', schedule };
  }

  schedules(teamId: string): Promise<Schedule[]> {
    return this.store.schedules(teamId);
  }

  cancelSchedule(teamId: string, id: string): Promise<boolean> {
    return this.store.cancelSchedule(teamId, id.trim().toLowerCase());
  }

  claimDueSchedules(workerId: string, leaseMs: number): Promise<Schedule[]> {
    const now = this.clock();
    return this.store.claimDueSchedules(
      workerId,
      now.toISOString(),
      new Date(now.getTime() + leaseMs).toISOString(),
    );
  }

  recentAssignments(teamId: string): Promise<AssignmentStatus[]> {
    return this.store.recentAssignments(teamId, 5);
  }

  assignment(assignmentId: string): Promise<AssignmentStatus | undefined> {
    return this.store.assignment(assignmentId);
  }

  /** Where a member stands in each phase (their track's sequence in phase 2), unrounded score. */
  private standings(record: MemberRecord): PhaseStanding[] {
    const { phases } = standing(
      this.programme,
      { ...record, brevets: record.brevets.map((phaseId) => ({ phaseId })) },
      this.clock(),
    );
    return phases.map((p) => ({
      phaseId: p.phase.id,
      status: p.state === 'complete' ? 'completed' : p.started ? 'started' : 'notStarted',
      lessonsDone: p.lessonsDone,
      lessonsTotal: p.lessonsTotal,
      scorePercent: p.answered > 0 ? (p.correct / p.answered) * 100 : null,
      brevet: p.brevet !== undefined,
    }));
  }

  /**
   * The report per member, for the lead's CSV export: every roster member (those who never
   * used Brevet too), in name order, with where they stand in each phase.
   */
  async memberReport(team: Team, members: Member[]): Promise<MemberReportRow[]> {
    const records = new Map(
      (
        await this.store.memberRecords(
          members.map((m) => m.aadObjectId.toLowerCase()),
          team.tenantId,
        )
      ).map((record) => [record.userKey, record]),
    );
    return [...members]
      .sort((a, b) => a.name.localeCompare(b.name) || a.aadObjectId.localeCompare(b.aadObjectId))
      .map((member) => {
        const record = records.get(member.aadObjectId.toLowerCase()) ?? {
          userKey: member.aadObjectId.toLowerCase(),
          completedLessons: [],
          openedLessons: [],
          trackId: null,
          brevets: [],
        };
        return {
          member,
          trackId: record.trackId,
          phases: this.standings(record).map((phase) => ({
            ...phase,
            scorePercent: phase.scorePercent === null ? null : Math.round(phase.scorePercent),
          })),
        };
      });
  }

  /**
   * Offers the lead the per-member export in their 1:1 chat (a file consent card, through the
   * outbox): the file itself is built when they accept it.
   */
  /**
   * What to send once an assignment is finished: its summary in the team's channel, counts only;
   * with the names of the members not reached, to the lead who asked, in their 1:1 chat.
   */
  async assignmentSummaries(assignmentId: string): Promise<NewOutboxMessage[]> {
    const assignment = await this.store.assignment(assignmentId);
    const team = assignment && (await this.store.team(assignment.teamId));
    if (!assignment || !team) return [];
    const summary = { assignmentId, language: assignment.language };
    const messages: NewOutboxMessage[] = [
      {
        tenantId: team.tenantId,
        serviceUrl: team.serviceUrl,
        conversationId: team.channelId,
        payload: { ...summary, type: 'assignment-summary', names: false },
      },
    ];
    if (assignment.notReached.length === 0) return messages;
    const address = await this.store.personalAddress(
      team.tenantId,
      assignment.requestedBy,
      assignmentId,
    );
    if (address)
      messages.push({
        tenantId: team.tenantId,
        serviceUrl: team.serviceUrl,
        conversationId: address.conversationId,
        recipientId: address.recipientId,
        recipientKey: assignment.requestedBy,
        payload: { ...summary, type: 'assignment-summary', names: true },
      });
    return messages;
  }

  /** A card for one person's 1:1 chat, through the outbox (the chat is created if needed). */
  sendPrivately(input: {
    tenantId: string;
    serviceUrl: string;
    recipient: { id: string; userKey: string };
    language: Language;
    card: Record<string, unknown>;
  }): Promise<void> {
    return this.store.enqueuePersonal(
      {
        tenantId: input.tenantId,
        serviceUrl: input.serviceUrl,
        recipientId: input.recipient.id,
        recipientKey: input.recipient.userKey.toLowerCase(),
        payload: { type: 'card', language: input.language, card: input.card },
      },
      this.now(),
    );
  }

  requestReportExport(input: {
    team: Team;
    requester: { id: string; userKey: string };
    language: Language;
    members: number;
    sizeInBytes: number;
  }): Promise<void> {
    const date = localParts(this.clock(), knownTimeZoneOrDefault(input.team.timeZone)).date;
    return this.store.enqueuePersonal(
      {
        tenantId: input.team.tenantId,
        serviceUrl: input.team.serviceUrl,
        recipientId: input.requester.id,
        recipientKey: input.requester.userKey.toLowerCase(),
        payload: {
          type: 'report-export',
          language: input.language,
          teamId: input.team.teamId,
          teamName: input.team.name ?? '',
          members: input.members,
          fileName: reportFileName(input.team.name, date),
          sizeInBytes: input.sizeInBytes,
          date,
        },
      },
      this.now(),
    );
  }

  /** The unit's progress over its roster: per phase and per lesson (question by question). */
  async report(team: Team, members: Member[]): Promise<UnitReport> {
    const keys = members.map((m) => m.aadObjectId.toLowerCase());
    const [records, stats] = await Promise.all([
      this.store.memberRecords(keys, team.tenantId),
      this.store.lessonStats(keys, team.tenantId),
    ]);
    const standings = records.map((record) => this.standings(record));
    const phases = this.programme.phases.map((phase, index): PhaseReport => {
      let started = 0;
      let completed = 0;
      let brevets = 0;
      const scores: number[] = [];
      for (const memberStandings of standings) {
        const member = memberStandings[index]!;
        if (member.status !== 'notStarted') started += 1;
        if (member.status === 'completed') completed += 1;
        if (member.brevet) brevets += 1;
        if (member.scorePercent !== null) scores.push(member.scorePercent);
      }
      return {
        phaseId: phase.id,
        started,
        completed,
        averageScore: scores.length
          ? Math.round(scores.reduce((a, b) => a + b, 0) / scores.length)
          : null,
        brevets,
      };
    });
    const order = new Map(this.programme.curriculum.lessons.map((l, i) => [l.id, i]));
    const lessons = stats
      .filter((s) => order.has(s.lessonId))
      .sort((a, b) => order.get(a.lessonId)! - order.get(b.lessonId)!)
      .map((s) => {
        const questionOrder = this.programme.lesson(s.lessonId)!.questions.map((q) => q.id);
        return {
          lessonId: s.lessonId,
          answered: s.answered,
          questions: s.questions
            .sort(
              (a, b) => questionOrder.indexOf(a.questionId) - questionOrder.indexOf(b.questionId),
            )
            .map((q) => ({
              questionId: q.questionId,
              answered: q.answered,
              sharePercent: Math.round((q.right / q.answered) * 100),
            })),
        };
      });
    return { members: members.length, phases, lessons };
  }
}
