import { type Kysely } from 'kysely';
import { type NewOutboxMessage } from '../../src/delivery/outbox-types';
import { type Database } from '../../src/storage/schema';

/** Inserts an assignment of lesson f1-a as a lead's `assign` records it (unfinished unless told). */
export async function insertAssignment(
  db: Kysely<Database>,
  id: string,
  fields: { teamId?: string; total?: number; createdAt?: string; finishedAt?: string | null } = {},
): Promise<void> {
  await db
    .insertInto('assignments')
    .values({
      id,
      team_id: fields.teamId ?? 'team',
      lesson_id: 'f1-a',
      requested_by: 'lead',
      language: 'en',
      created_at: fields.createdAt ?? new Date().toISOString(),
      total: fields.total ?? 1,
      finished_at: fields.finishedAt ?? null,
    })
    .execute();
}

/** `count` lesson messages of an assignment, each to its own (existing) 1:1 chat. */
export function lessonMessages(assignmentId: string, count: number): NewOutboxMessage[] {
  return Array.from({ length: count }, (_, i) => ({
    assignmentId,
    tenantId: 't',
    serviceUrl: 'http://127.0.0.1:9/',
    conversationId: `a:${assignmentId}:${i}`,
    payload: { type: 'lesson', lessonId: 'f1-a', language: 'en' },
  }));
}
