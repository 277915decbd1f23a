/**
 * The daily reminder pass for 25,000 learners on SQLite: deciding who gets what and enqueuing,
 * against a baseline in the same run (only reading the candidates).
 *
 *   npx tsx bench/reminders.ts   (BENCH_LEARNERS=25000 by default)
 *
 * Output: stdout and its section of bench/RESULTS.md (not with BENCH_WRITE_RESULTS=0).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadProgramme } from '../src/curriculum/load-programme';
import { projectPath } from '../src/project-paths';
import { ReminderService } from '../src/reminders/reminder-service';
import { openStorage } from '../src/storage/database';
import { KyselyReminderStore } from '../src/storage/reminder-repository';
import { envWhole, machineLine, writeGeneratedReport, writesResults } from './common';

const LEARNERS = envWhole('BENCH_LEARNERS', 25_000, 1, 1_000_000);
const SECTION_TITLE = '## Reminder pass: 25,000 learners on SQLite';
// Monday 7 December 2026, 10:00 in Brussels: a working day, after everyone's 09:30.
const NOW = new Date('2026-12-07T09:00:00Z');

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'brevet-bench-reminders-'));
  const storage = await openStorage({ sqlitePath: path.join(dir, 'bench.sqlite') });
  const programme = loadProgramme(projectPath('content'));
  const phase1 = programme.sequence('phase-1', null).map((l) => l.id);
  try {
    const seedStart = performance.now();
    const at = '2026-12-01T09:00:00.000Z';
    for (let offset = 0; offset < LEARNERS; offset += 500) {
      const ids = Array.from({ length: Math.min(500, LEARNERS - offset) }, () => randomUUID());
      await storage.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('learners')
          .values(
            ids.map((id, i) => ({
              id,
              tenant_id: 'tenant',
              user_key: id,
              language: ['fr', 'nl', 'de', 'en'][i % 4]!,
              track_id: null,
              service_url: 'http://127.0.0.1:9/',
              conversation_id: `a:${id}`,
              recipient_id: `29:${id}`,
              created_at: at,
              updated_at: at,
            })),
          )
          .execute();
        // Six lessons pushed by leads, one a week; a fifth got the last one this morning (it is
        // their day's nudge). The outbox keeps them for its retention period.
        const pushed = ids.flatMap((id, i) =>
          Array.from({ length: 6 }, (_, week) => {
            const sentAt =
              week === 0 && i % 5 === 0
                ? '2026-12-07T07:15:00.000Z'
                : new Date(
                    Date.parse('2026-12-04T09:00:00Z') - week * 7 * 86_400_000,
                  ).toISOString();
            return {
              id: randomUUID(),
              seq: (offset + i) * 6 + week,
              kind: 'lesson',
              tenant_id: 'tenant',
              service_url: 'http://127.0.0.1:9/',
              conversation_id: `a:${id}`,
              recipient_id: `29:${id}`,
              payload: '{}',
              status: 'sent',
              attempts: 1,
              conversation_recreated: 0,
              not_before: sentAt,
              created_at: sentAt,
              sent_at: sentAt,
            };
          }),
        );
        // In slices: SQLite takes at most 32,766 variables a statement.
        for (let first = 0; first < pushed.length; first += 1000)
          await trx
            .insertInto('outbox')
            .values(pushed.slice(first, first + 1000))
            .execute();
        // Five lessons done each; a tenth were active an hour ago.
        await trx
          .insertInto('lesson_progress')
          .values(
            ids.flatMap((id) =>
              phase1.slice(0, 5).map((lessonId) => ({
                learner_id: id,
                lesson_id: lessonId,
                opened_at: at,
                completed_at: at,
                correct_count: 2,
                question_count: 3,
              })),
            ),
          )
          .execute();
        await trx
          .insertInto('learner_activity')
          .values(
            ids.map((id, i) => ({
              learner_id: id,
              day: i % 10 === 0 ? '2026-12-07' : '2026-12-01',
              last_at: i % 10 === 0 ? '2026-12-07T08:00:00.000Z' : at,
            })),
          )
          .execute();
      });
    }
    const seeded = performance.now() - seedStart;

    const store = new KyselyReminderStore(storage.db);
    const service = new ReminderService(programme, store, () => NOW);
    // Baseline in the same run: just reading the candidates (one query, JSON parsing).
    const baselineStart = performance.now();
    const candidates = await store.candidates(
      new Date(NOW.getTime() - 2 * 24 * 3600 * 1000).toISOString(),
    );
    const baseline = performance.now() - baselineStart;

    const firstStart = performance.now();
    const first = await service.runPass();
    const firstMs = performance.now() - firstStart;
    const secondStart = performance.now();
    const second = await service.runPass();
    const secondMs = performance.now() - secondStart;
    const rss = process.memoryUsage().rss / 1024 / 1024;

    const report = [
      SECTION_TITLE,
      '',
      `${machineLine()} · ${LEARNERS.toLocaleString('en')} learners seeded in ` +
        `${(seeded / 1000).toFixed(1)} s (five phase-1 lessons done each, six lessons pushed by ` +
        `leads in the outbox, a fifth of them this morning; a tenth active an hour ago)`,
      '',
      '| step | what it did | time |',
      '| --- | --- | ---: |',
      `| baseline: reading the candidates | ${candidates.length.toLocaleString('en')} rows | ${baseline.toFixed(0)} ms |`,
      `| first pass | ${first.enqueued.toLocaleString('en')} reminders enqueued of ` +
        `${first.considered.toLocaleString('en')} considered | ${firstMs.toFixed(0)} ms |`,
      `| second pass (everyone already reminded today) | ${second.enqueued} enqueued | ` +
        `${secondMs.toFixed(0)} ms |`,
      '',
      `RSS after both passes: ${rss.toFixed(0)} MB.`,
    ].join('\n');
    console.log(report);
    if (writesResults()) await writeGeneratedReport('reminders.ts', SECTION_TITLE, report);
  } finally {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
