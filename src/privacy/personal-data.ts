/**
 * A learner's own data: a copy of everything Brevet keeps about them, and its erasure (GDPR
 * articles 15 and 17; README: the `privacy` command, the tab's "Your data"). Pure domain over a
 * store; the Teams glue and the tab's API decide who is asking (the authenticated sender or the
 * verified SSO token, never data from a card or a query string).
 */

/** Everything kept about one learner, as a JSON document (version 1). */
export interface PersonalDataDocument {
  format: 'brevet-personal-data';
  version: 1;
  exportedAt: string;
  /** Null when Brevet has never kept anything about this person. */
  learner: {
    tenantId: string;
    entraObjectId: string;
    language: string;
    track: string | null;
    timeZone: string;
    reminders: { enabled: boolean; at: string; lastRemindedOn: string | null };
    createdAt: string;
    updatedAt: string;
  } | null;
  lessons: {
    lessonId: string;
    openedAt: string;
    completedAt: string | null;
    correct: number | null;
    total: number | null;
  }[];
  answers: {
    lessonId: string;
    questionId: string;
    choiceId: string;
    correct: boolean;
    answeredAt: string;
    /** The language the question was shown in. */
    language: string | null;
  }[];
  brevets: { phaseId: string; earnedAt: string; score: number }[];
  reviews: {
    lessonId: string;
    questionId: string;
    due: string;
    reviews: number;
    reviewsRight: number;
    lastReview: string | null;
  }[];
  activityDays: string[];
  /** Teams where an admin named this person a lead (kept: it is the unit's record, not theirs). */
  leadOf: string[];
  /** Teams whose roster listed this person when Brevet last read it (the dashboard's units). */
  memberOf: string[];
}

export interface PersonIdentity {
  tenantId: string;
  userKey: string;
}

export interface PersonalDataStore {
  collect(
    person: PersonIdentity,
  ): Promise<Omit<PersonalDataDocument, 'format' | 'version' | 'exportedAt'>>;
  /**
   * In one transaction: deletes the learner and everything that hangs on them (progress,
   * answers, brevets, reviews, activity days, settings, saved conversation); messages still
   * queued for them are withdrawn (marked failed) and every outbox row addressed to them loses
   * their name and ids. Returns whether there was a learner.
   */
  erase(person: PersonIdentity, reason: string): Promise<boolean>;
}

/** Withdrawn messages carry this reason in the lead's delivery report. */
export const ERASED_REASON = 'withdrawn: the person erased their data';

export class PersonalDataService {
  constructor(
    private readonly store: PersonalDataStore,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async export(person: PersonIdentity): Promise<PersonalDataDocument> {
    return {
      format: 'brevet-personal-data',
      version: 1,
      exportedAt: this.clock().toISOString(),
      ...(await this.store.collect(normalise(person))),
    };
  }

  erase(person: PersonIdentity): Promise<boolean> {
    return this.store.erase(normalise(person), ERASED_REASON);
  }
}

function normalise(person: PersonIdentity): PersonIdentity {
  return { tenantId: person.tenantId.toLowerCase(), userKey: person.userKey.toLowerCase() };
}
