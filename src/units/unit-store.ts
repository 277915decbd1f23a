import { type OutboxPayload } from '../delivery/outbox-types';
import { type Language } from '../i18n/languages';

/** A Teams team in which Brevet is installed: a unit. */
export interface Team {
  teamId: string;
  tenantId: string;
  name: string | null;
  serviceUrl: string;
  /** The channel lessons are pushed to and summaries posted in (General by default). */
  channelId: string;
  timeZone: string;
  /**
   * The team's Microsoft 365 group id (Microsoft Graph's team id), from the activity; not stored,
   * so known only in a turn from the team.
   */
  aadGroupId?: string | null;
}

/** A team as stored, with the settings its leads and admins changed. */
export interface StoredTeam extends Team {
  /** The team-level leaderboard (off unless an admin turns it on). */
  leaderboardEnabled: boolean;
}

/** A member of the team roster. */
export interface Member {
  /** Teams user id (29:…). */
  id: string;
  aadObjectId: string;
  name: string;
  /** E-mail or UPN as the roster gives it (the lead's export). */
  email?: string;
}

export interface AssignmentStatus {
  id: string;
  teamId: string;
  /** The language of the lead who asked (for the summary card). */
  language: Language;
  lessonId: string;
  /** The Entra object id of the lead who asked. */
  requestedBy: string;
  createdAt: string;
  finishedAt: string | null;
  total: number;
  counts: { sent: number; pending: number; failed: number; blocked: number };
  /** Members not reached, with the reason (first few). */
  notReached: { name: string; status: 'failed' | 'blocked'; reason: string }[];
}

export interface Schedule {
  id: string;
  teamId: string;
  action: 'push' | 'assign';
  lessonId: string;
  fireAt: string;
  localTime: string;
  requestedBy: string;
  language: Language;
}

export interface LessonStats {
  lessonId: string;
  /** Members who answered at least one question. */
  answered: number;
  /** Per question: how many answered, how many right (first answers). */
  questions: { questionId: string; answered: number; right: number }[];
}

/** Per member: what the report needs. */
export interface MemberRecord {
  userKey: string;
  completedLessons: { lessonId: string; correct: number; total: number }[];
  openedLessons: string[];
  trackId: string | null;
  brevets: string[];
}

/** A 1:1 message to one person, by their Teams user id (29:…) and Entra object id. */
export interface PersonalMessage {
  tenantId: string;
  serviceUrl: string;
  recipientId: string;
  recipientKey: string;
  payload: OutboxPayload;
}

/** Proof that a worker holds a schedule's claim (see `claimDueSchedules`). */
export interface ScheduleClaim {
  scheduleId: string;
  workerId: string;
}

/** Thrown when a schedule's claim was lost (another instance fired it): nothing is enqueued. */
export class ScheduleClaimLost extends Error {}

/** What the unit features need from storage. */
export interface UnitStore {
  /** Records the team (name and service URL follow Teams) and returns it with its settings. */
  saveTeam(team: Team, at: string): Promise<StoredTeam>;
  team(teamId: string): Promise<StoredTeam | undefined>;
  updateTeamSettings(
    teamId: string,
    patch: { timeZone?: string; leaderboardEnabled?: boolean },
  ): Promise<void>;
  isLead(teamId: string, userKey: string): Promise<boolean>;
  addLead(teamId: string, userKey: string, addedBy: string, at: string): Promise<void>;
  removeLead(teamId: string, userKey: string): Promise<boolean>;
  /**
   * In one transaction: learners for members not seen before (in `language`), the lesson marked
   * served to each, the assignment, and one outbox message per member.
   */
  createAssignment(input: {
    team: Team;
    lessonId: string;
    requestedBy: string;
    language: Language;
    members: Member[];
    at: string;
    fromSchedule?: ScheduleClaim;
  }): Promise<{ assignmentId: string; total: number }>;
  recentAssignments(teamId: string, limit: number): Promise<AssignmentStatus[]>;
  assignment(assignmentId: string): Promise<AssignmentStatus | undefined>;
  enqueueChannelLesson(
    team: Team,
    lessonId: string,
    language: Language,
    at: string,
    fromSchedule?: ScheduleClaim,
  ): Promise<void>;
  /** One 1:1 message to someone (the chat is created when it is sent if needed). */
  enqueuePersonal(message: PersonalMessage, at: string): Promise<void>;
  /**
   * Where a person's 1:1 chat is: their stored chat, or their Teams id from one of the
   * assignment's messages (a chat is then created). Undefined when neither is known.
   */
  personalAddress(
    tenantId: string,
    userKey: string,
    assignmentId: string,
  ): Promise<{ recipientId: string | null; conversationId: string | null } | undefined>;
  addSchedule(schedule: Omit<Schedule, 'id'>, at: string): Promise<Schedule>;
  schedules(teamId: string): Promise<Schedule[]>;
  cancelSchedule(teamId: string, id: string): Promise<boolean>;
  /**
   * Claims due schedules with a lease. The action then runs in a transaction that also marks the
   * schedule fired, only if this claim still holds: a schedule fires once, even across instances
   * and crashes (a dead claimer's lease expires and another instance fires it).
   */
  claimDueSchedules(workerId: string, now: string, leaseUntil: string): Promise<Schedule[]>;
  /**
   * Replaces the unit's recorded members (Entra object ids, lower case) with a roster just read
   * from Teams: the programme dashboard's units count them.
   */
  recordRoster(
    team: Pick<Team, 'teamId' | 'tenantId'>,
    userKeys: string[],
    at: string,
  ): Promise<void>;
  /** Members Teams reported joining (conversationUpdate membersAdded) or leaving. */
  addMembers(
    team: Pick<Team, 'teamId' | 'tenantId'>,
    userKeys: string[],
    at: string,
  ): Promise<void>;
  removeMembers(team: Pick<Team, 'teamId' | 'tenantId'>, userKeys: string[]): Promise<void>;
  memberRecords(userKeys: string[], tenantId: string): Promise<MemberRecord[]>;
  lessonStats(userKeys: string[], tenantId: string): Promise<LessonStats[]>;
}
