import { randomUUID } from 'node:crypto';
import { type ExpressionBuilder, type Kysely, type Selectable, type Transaction } from 'kysely';
import { type DeliveryCounts, type OutboxStore, type Settlement } from '../delivery/outbox-store';
import {
  type NewOutboxMessage,
  type OutboxMessage,
  type OutboxPayload,
  type OutboxStatus,
} from '../delivery/outbox-types';
import { type Dialect } from './database';
import { type Database, type OutboxTable } from './schema';

// Rows per INSERT: well under SQLite's 32,766 bound variables (19 columns a row).
const INSERT_BATCH = 500;

let sequence = 0;
/** Increasing insertion order across instances (time first), so claims go oldest first. */
function nextSeq(): number {
  sequence = (sequence + 1) % 1000;
  return Date.now() * 1000 + sequence;
}

function toMessage(row: Selectable<OutboxTable>): OutboxMessage {
  return {
    id: row.id,
    assignmentId: row.assignment_id,
    tenantId: row.tenant_id,
    serviceUrl: row.service_url,
    conversationId: row.conversation_id,
    recipientId: row.recipient_id,
    payload: JSON.parse(row.payload) as OutboxPayload,
    attempts: Number(row.attempts),
    conversationRecreated: Number(row.conversation_recreated) === 1,
  };
}

/** Outbox rows for `messages` (also used inside the transactions that decide to send). */
export function outboxRows(messages: NewOutboxMessage[], now: string): OutboxTable[] {
  return messages.map((m) => ({
    id: randomUUID(),
    seq: nextSeq(),
    kind: m.payload.type,
    assignment_id: m.assignmentId ?? null,
    tenant_id: m.tenantId,
    service_url: m.serviceUrl,
    conversation_id: m.conversationId ?? null,
    recipient_id: m.recipientId ?? null,
    recipient_key: m.recipientKey ?? null,
    recipient_name: m.recipientName ?? null,
    payload: JSON.stringify(m.payload),
    status: 'pending',
    attempts: 0,
    not_before: m.notBefore ?? now,
    lease_until: null,
    claimed_by: null,
    conversation_recreated: 0,
    last_error: null,
    created_at: now,
    sent_at: null,
  }));
}

/** Inserts outbox rows in batches, in the caller's transaction. */
export async function insertOutboxRows(
  db: Kysely<Database> | Transaction<Database>,
  rows: OutboxTable[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_BATCH) {
    await db
      .insertInto('outbox')
      .values(rows.slice(i, i + INSERT_BATCH))
      .execute();
  }
}

/** The assignment (the `assignments` row in scope) has no lesson left pending or sending. */
function nothingLeftToSend(eb: ExpressionBuilder<Database, 'assignments'>) {
  return eb.not(
    eb.exists(
      eb
        .selectFrom('outbox')
        .select('outbox.id')
        .whereRef('outbox.assignment_id', '=', 'assignments.id')
        .where('outbox.status', 'in', ['pending', 'sending'])
        .where('outbox.kind', '=', 'lesson'),
    ),
  );
}

export class KyselyOutboxStore implements OutboxStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  async claim(
    workerId: string,
    limit: number,
    now: string,
    leaseUntil: string,
  ): Promise<OutboxMessage[]> {
    const due = this.db
      .selectFrom('outbox')
      .select('id')
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'pending'), eb('not_before', '<=', now)]),
          eb.and([eb('status', '=', 'sending'), eb('lease_until', '<', now)]),
          // A worker counted out of the registry (no heartbeat for three beats) is dead: what it
          // held is taken over at once rather than after its lease.
          eb.and([
            eb('status', '=', 'sending'),
            eb('claimed_by', 'not in', eb.selectFrom('delivery_workers').select('worker_id')),
          ]),
          // Rows under this worker's own name are not being sent (a worker claims only once its
          // batch is settled): a claim whose answer was lost (the connection cut after the
          // commit) left them so. They are taken back at once rather than after their lease.
          eb.and([eb('status', '=', 'sending'), eb('claimed_by', '=', workerId)]),
        ]),
      )
      .orderBy('seq')
      .limit(limit)
      // Several instances on PostgreSQL never claim the same row; SQLite has one writer anyway.
      .$if(this.dialect === 'postgres', (query) => query.forUpdate().skipLocked());
    const rows = await this.db
      .updateTable('outbox')
      .set({ status: 'sending', claimed_by: workerId, lease_until: leaseUntil })
      .where('id', 'in', due)
      .returningAll()
      .execute();
    return rows.sort((a, b) => Number(a.seq) - Number(b.seq)).map(toMessage);
  }

  async heartbeat(workerId: string, now: string, staleBefore: string): Promise<number> {
    await this.db
      .insertInto('delivery_workers')
      .values({ worker_id: workerId, seen_at: now })
      .onConflict((oc) => oc.column('worker_id').doUpdateSet({ seen_at: now }))
      .execute();
    await this.db.deleteFrom('delivery_workers').where('seen_at', '<', staleBefore).execute();
    const { alive } = await this.db
      .selectFrom('delivery_workers')
      .select((eb) => eb.fn.countAll<number | string>().as('alive'))
      .executeTakeFirstOrThrow();
    return Math.max(1, Number(alive));
  }

  async leave(workerId: string): Promise<void> {
    await this.db.deleteFrom('delivery_workers').where('worker_id', '=', workerId).execute();
  }

  async renewLeases(
    workerId: string,
    messageIds: readonly string[],
    leaseUntil: string,
  ): Promise<void> {
    // Bounded statements (the claim batch is at most 200; SQLite takes 32,766 parameters).
    for (let start = 0; start < messageIds.length; start += 500)
      await this.db
        .updateTable('outbox')
        .set({ lease_until: leaseUntil })
        .where('id', 'in', messageIds.slice(start, start + 500))
        .where('claimed_by', '=', workerId)
        .where('status', '=', 'sending')
        .execute();
  }

  async stillHolds(workerId: string, messageId: string, leaseUntil: string): Promise<boolean> {
    const result = await this.db
      .updateTable('outbox')
      .set({ lease_until: leaseUntil })
      .where('id', '=', messageId)
      .where('claimed_by', '=', workerId)
      .where('status', '=', 'sending')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async settle(
    workerId: string,
    messageId: string,
    settlement: Settlement,
    now: string,
  ): Promise<boolean> {
    const base = this.db
      .updateTable('outbox')
      .where('id', '=', messageId)
      .where('claimed_by', '=', workerId)
      .where('status', '=', 'sending');
    let query;
    if (settlement.status === 'sent') {
      query = base.set({
        status: 'sent',
        sent_at: now,
        lease_until: null,
        conversation_id: settlement.conversationId,
        last_error: null,
      });
    } else if (settlement.status === 'retry') {
      query = base.set((eb) => ({
        status: 'pending',
        lease_until: null,
        claimed_by: null,
        not_before: settlement.notBefore,
        last_error: settlement.error.slice(0, 500),
        attempts: settlement.countAttempt ? eb('attempts', '+', 1) : eb.ref('attempts'),
        ...(settlement.conversationRecreated
          ? { conversation_recreated: 1, conversation_id: null }
          : {}),
      }));
    } else {
      query = base.set({
        status: settlement.status,
        lease_until: null,
        last_error: settlement.error.slice(0, 500),
      });
    }
    if (settlement.createdConversationId && settlement.status === 'retry')
      query = query.set({ conversation_id: settlement.createdConversationId });
    const result = await query.executeTakeFirst();
    const settled = Number(result.numUpdatedRows) > 0;
    if (settled && settlement.createdConversationId)
      await this.rememberConversation(messageId, settlement.createdConversationId);
    return settled;
  }

  /** Keeps a chat created during delivery on the learner, so later messages need no new chat. */
  private async rememberConversation(messageId: string, conversationId: string): Promise<void> {
    const row = await this.db
      .selectFrom('outbox')
      .select(['tenant_id', 'recipient_key', 'recipient_id', 'service_url'])
      .where('id', '=', messageId)
      .executeTakeFirst();
    if (!row?.recipient_key) return;
    await this.db
      .updateTable('learners')
      .set({
        service_url: row.service_url,
        conversation_id: conversationId,
        recipient_id: row.recipient_id,
      })
      .where('tenant_id', '=', row.tenant_id)
      .where('user_key', '=', row.recipient_key)
      .where('conversation_id', 'is', null)
      .execute();
  }

  async finishAssignmentIfDone(assignmentId: string, now: string): Promise<boolean> {
    // Nothing of it is left to send: its counts are final, and kept on the assignment (the
    // outbox rows, with the members' names, are purged after the retention period).
    const final = (status: OutboxStatus) =>
      this.db
        .selectFrom('outbox')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('outbox.assignment_id', '=', assignmentId)
        .where('outbox.kind', '=', 'lesson')
        .where('outbox.status', '=', status);
    const result = await this.db
      .updateTable('assignments')
      .set({
        finished_at: now,
        final_sent: final('sent'),
        final_failed: final('failed'),
        final_blocked: final('blocked'),
      })
      .where('id', '=', assignmentId)
      .where('finished_at', 'is', null)
      .where(nothingLeftToSend)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async unfinishedButDone(limit: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('assignments')
      .select('assignments.id')
      .where('assignments.finished_at', 'is', null)
      .where(nothingLeftToSend)
      .orderBy('assignments.created_at')
      .limit(limit)
      .execute();
    return rows.map((row) => row.id);
  }

  async purgeFinished(createdBefore: string): Promise<number> {
    const result = await this.db
      .deleteFrom('outbox')
      .where('status', 'in', ['sent', 'failed', 'blocked'])
      .where('created_at', '<', createdBefore)
      .where((eb) =>
        eb.or([
          eb('assignment_id', 'is', null),
          eb(
            'assignment_id',
            'in',
            eb.selectFrom('assignments').select('id').where('finished_at', 'is not', null),
          ),
        ]),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async enqueue(messages: NewOutboxMessage[], now: string): Promise<void> {
    await insertOutboxRows(this.db, outboxRows(messages, now));
  }

  async countsByAssignment(assignmentId: string): Promise<DeliveryCounts> {
    const rows = await this.db
      .selectFrom('outbox')
      .select(['status', (eb) => eb.fn.countAll().as('n')])
      .where('assignment_id', '=', assignmentId)
      .where('kind', '=', 'lesson')
      .groupBy('status')
      .execute();
    const counts: DeliveryCounts = { pending: 0, sending: 0, sent: 0, failed: 0, blocked: 0 };
    for (const row of rows) counts[row.status as OutboxStatus] = Number(row.n);
    return counts;
  }
}
