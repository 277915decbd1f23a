/** What an outbox row asks to send; rendered into an activity by the Teams glue at send time. */
export type OutboxPayload =
  | { type: 'lesson'; lessonId: string; language: string }
  | { type: 'channel-lesson'; lessonId: string; language: string }
  /** `names`: the members not reached are named (only in the requesting lead's 1:1 chat). */
  | { type: 'assignment-summary'; assignmentId: string; language: string; names?: boolean }
  | { type: 'reminder'; language: string; lessonWaiting: boolean; reviewDue: number }
  /**
   * A card already rendered for one learner: the answer to a click on a channel card from a
   * client without Action.Execute (it cannot be shown in the channel: everyone would see it).
   */
  | { type: 'card'; language: string; card: Record<string, unknown> }
  /** A file consent card offering the lead the per-member report (CSV) of a team. */
  | {
      type: 'report-export';
      language: string;
      teamId: string;
      teamName: string;
      members: number;
      fileName: string;
      sizeInBytes: number;
      date: string;
    };

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'blocked';

/** A message claimed from the outbox by a worker. */
export interface OutboxMessage {
  id: string;
  assignmentId: string | null;
  tenantId: string;
  serviceUrl: string;
  /** Known conversation (1:1 or channel); null when it must be created first. */
  conversationId: string | null;
  /** Teams user id (29:…) for a 1:1 conversation. */
  recipientId: string | null;
  payload: OutboxPayload;
  attempts: number;
  conversationRecreated: boolean;
}

/** A new message to enqueue. */
export interface NewOutboxMessage {
  assignmentId?: string;
  tenantId: string;
  serviceUrl: string;
  conversationId?: string | null;
  recipientId?: string | null;
  recipientKey?: string | null;
  recipientName?: string | null;
  payload: OutboxPayload;
  notBefore?: string;
}

/** What the Bot Connector said to one send, as the worker needs to know it. */
export type SendOutcome =
  | { kind: 'sent'; conversationId: string }
  | { kind: 'throttled'; retryAfterMs?: number }
  | { kind: 'transient'; status: number }
  | { kind: 'blocked'; reason: string }
  | { kind: 'conversationNotFound' }
  | { kind: 'failed'; reason: string };

/** What a send learned besides its outcome: a 1:1 chat it created (kept even if the send failed). */
export type SendResult = SendOutcome & { createdConversationId?: string };

/** Sends one outbox message (the Teams glue implements it over the Bot Connector REST API). */
export interface MessageSender {
  send(
    message: OutboxMessage,
    options: {
      createConversation: boolean;
      /** Waits for a slot of the app's rate limit: call it before every HTTP request. */
      acquire: () => Promise<void>;
    },
  ): Promise<SendResult>;
}
