import { type Language } from '../../src/i18n/languages';
import {
  type AssignmentStatus,
  type LessonStats,
  type Member,
  type MemberRecord,
  type PersonalMessage,
  type Schedule,
  type ScheduleClaim,
  type StoredTeam,
  type Team,
  type UnitStore,
} from '../../src/units/unit-store';

/** A first answer of a member, as the report counts them. */
export interface MemberAnswer {
  userKey: string;
  lessonId: string;
  questionId: string;
  correct: boolean;
}

/** The unit store in memory, for domain tests without a database. */
export class InMemoryUnitStore implements UnitStore {
  readonly teams = new Map<string, StoredTeam>();
  readonly leads = new Set<string>();
  /** Learners by Entra object id (lower case), within one tenant. */
  readonly records = new Map<string, MemberRecord>();
  readonly answers: MemberAnswer[] = [];
  readonly assignments: AssignmentStatus[] = [];
  readonly channelLessons: { teamId: string; lessonId: string; language: Language }[] = [];
  readonly personal: PersonalMessage[] = [];
  readonly scheduleList: (Schedule & { claimedUntil?: string })[] = [];

  saveTeam(team: Team): Promise<StoredTeam> {
    const stored = { leaderboardEnabled: false, ...this.teams.get(team.teamId), ...team };
    this.teams.set(team.teamId, stored);
    return Promise.resolve({ ...stored });
  }

  team(teamId: string): Promise<StoredTeam | undefined> {
    const team = this.teams.get(teamId);
    return Promise.resolve(team && { ...team });
  }

  updateTeamSettings(
    teamId: string,
    patch: { timeZone?: string; leaderboardEnabled?: boolean },
  ): Promise<void> {
    const team = this.teams.get(teamId);
    if (team) Object.assign(team, patch);
    return Promise.resolve();
  }

  isLead(teamId: string, userKey: string): Promise<boolean> {
    return Promise.resolve(this.leads.has(`${teamId}/${userKey}`));
  }

  addLead(teamId: string, userKey: string): Promise<void> {
    this.leads.add(`${teamId}/${userKey}`);
    return Promise.resolve();
  }

  removeLead(teamId: string, userKey: string): Promise<boolean> {
    return Promise.resolve(this.leads.delete(`${teamId}/${userKey}`));
  }

  createAssignment(input: {
    team: Team;
    lessonId: string;
    requestedBy: string;
    language: Language;
    members: Member[];
    at: string;
    fromSchedule?: ScheduleClaim;
  }): Promise<{ assignmentId: string; total: number }> {
    const id = `assignment-${this.assignments.length + 1}`;
    for (const member of input.members) {
      const record = this.recordOf(member.aadObjectId);
      if (!record.openedLessons.includes(input.lessonId)) record.openedLessons.push(input.lessonId);
    }
    this.assignments.push({
      id,
      teamId: input.team.teamId,
      language: input.language,
      lessonId: input.lessonId,
      requestedBy: input.requestedBy,
      createdAt: input.at,
      finishedAt: null,
      total: input.members.length,
      counts: { sent: 0, pending: input.members.length, failed: 0, blocked: 0 },
      notReached: [],
    });
    return Promise.resolve({ assignmentId: id, total: input.members.length });
  }

  recentAssignments(teamId: string, limit: number): Promise<AssignmentStatus[]> {
    return Promise.resolve(
      this.assignments
        .filter((a) => a.teamId === teamId)
        .slice(-limit)
        .reverse(),
    );
  }

  assignment(assignmentId: string): Promise<AssignmentStatus | undefined> {
    return Promise.resolve(this.assignments.find((a) => a.id === assignmentId));
  }

  enqueueChannelLesson(team: Team, lessonId: string, language: Language): Promise<void> {
    this.channelLessons.push({ teamId: team.teamId, lessonId, language });
    return Promise.resolve();
  }

  enqueuePersonal(message: PersonalMessage): Promise<void> {
    this.personal.push(message);
    return Promise.resolve();
  }

  personalAddress(): Promise<{ recipientId: string | null; conversationId: string | null }> {
    return Promise.resolve({ recipientId: null, conversationId: null });
  }

  addSchedule(schedule: Omit<Schedule, 'id'>): Promise<Schedule> {
    const stored = { ...schedule, id: `s${this.scheduleList.length + 1}` };
    this.scheduleList.push(stored);
    return Promise.resolve({ ...stored });
  }

  schedules(teamId: string): Promise<Schedule[]> {
    return Promise.resolve(this.scheduleList.filter((s) => s.teamId === teamId));
  }

  cancelSchedule(teamId: string, id: string): Promise<boolean> {
    const index = this.scheduleList.findIndex((s) => s.teamId === teamId && s.id === id);
    if (index >= 0) this.scheduleList.splice(index, 1);
    return Promise.resolve(index >= 0);
  }

  claimDueSchedules(_workerId: string, now: string, leaseUntil: string): Promise<Schedule[]> {
    const due = this.scheduleList.filter(
      (s) => s.fireAt <= now && (s.claimedUntil === undefined || s.claimedUntil <= now),
    );
    for (const schedule of due) schedule.claimedUntil = leaseUntil;
    return Promise.resolve(due.map(({ claimedUntil: _lease, ...schedule }) => schedule));
  }

  /** Recorded unit members per team (the dashboard's counts; the report reads rosters). */
  readonly members = new Map<string, Set<string>>();

  recordRoster(team: Pick<Team, 'teamId' | 'tenantId'>, userKeys: string[]): Promise<void> {
    this.members.set(team.teamId, new Set(userKeys));
    return Promise.resolve();
  }

  addMembers(team: Pick<Team, 'teamId' | 'tenantId'>, userKeys: string[]): Promise<void> {
    const members = this.members.get(team.teamId) ?? new Set<string>();
    for (const key of userKeys) members.add(key);
    this.members.set(team.teamId, members);
    return Promise.resolve();
  }

  removeMembers(team: Pick<Team, 'teamId' | 'tenantId'>, userKeys: string[]): Promise<void> {
    for (const key of userKeys) this.members.get(team.teamId)?.delete(key);
    return Promise.resolve();
  }

  memberRecords(userKeys: string[]): Promise<MemberRecord[]> {
    return Promise.resolve(
      userKeys.flatMap((key) => {
        const record = this.records.get(key);
        return record ? [record] : [];
      }),
    );
  }

  lessonStats(userKeys: string[]): Promise<LessonStats[]> {
    const byLesson = new Map<string, MemberAnswer[]>();
    for (const answer of this.answers.filter((a) => userKeys.includes(a.userKey)))
      byLesson.set(answer.lessonId, [...(byLesson.get(answer.lessonId) ?? []), answer]);
    return Promise.resolve(
      [...byLesson].map(([lessonId, answers]) => ({
        lessonId,
        answered: new Set(answers.map((a) => a.userKey)).size,
        questions: [...new Set(answers.map((a) => a.questionId))].map((questionId) => {
          const mine = answers.filter((a) => a.questionId === questionId);
          return {
            questionId,
            answered: mine.length,
            right: mine.filter((a) => a.correct).length,
          };
        }),
      })),
    );
  }

  /** The member's record, created empty on first use. */
  recordOf(userKey: string): MemberRecord {
    const key = userKey.toLowerCase();
    const record = this.records.get(key) ?? {
      userKey: key,
      completedLessons: [],
      openedLessons: [],
      trackId: null,
      brevets: [],
    };
    this.records.set(key, record);
    return record;
  }
}
