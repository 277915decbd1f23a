/**
 * The delivery worker against the real outbox store (SQLite file), with a database that fails
 * some steps: what was sent is recorded once the database answers again, and the worker renews
 * the leases of the rows it is sending, no others.
 */
import { DeliveryWorker } from '../../src/delivery/delivery-worker';
import { type OutboxStore } from '../../src/delivery/outbox-store';
import { type MessageSender, type OutboxMessage } from '../../src/delivery/outbox-types';
import { createLogger } from '../../src/logger';
import { openStorage, type Storage } from '../../src/storage/database';
import { KyselyOutboxStore } from '../../src/storage/outbox-repository';
import { insertAssignment, lessonMessages } from '../support/assignments';
import { eventually } from '../support/eventually';
import { LogCapture, tempDir } from '../support/brevet-harness';

describe('the delivery worker when the database fails a step', () => {
  const tmp = tempDir();
  let storage: Storage;
  let store: KyselyOutboxStore;
  let worker: DeliveryWorker | undefined;
  const sent: string[] = [];
  const sender: MessageSender = {
    async send(message: OutboxMessage, { acquire }) {
      await acquire();
      sent.push(message.id);
      return { kind: 'sent', conversationId: message.conversationId ?? 'a:new' };
    },
  };

  beforeAll(async () => {
    storage = await openStorage({ sqlitePath: `${tmp.dir}/brevet.sqlite` });
    store = new KyselyOutboxStore(storage.db, storage.dialect);
  });
  afterAll(async () => {
    await storage.close();
    tmp.cleanup();
  });
  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
    sent.length = 0;
    await storage.db.deleteFrom('outbox').execute();
    await storage.db.deleteFrom('assignments').execute();
    await storage.db.deleteFrom('delivery_workers').execute();
  });

  async function enqueue(count: number, assignmentId?: string): Promise<void> {
    await store.enqueue(
      Array.from({ length: count }, (_, i) => ({
        assignmentId,
        tenantId: 't',
        serviceUrl: 'http://127.0.0.1:9/',
        conversationId: `a:${i}`,
        payload: { type: 'reminder', language: 'en', lessonWaiting: true, reviewDue: 0 } as const,
      })),
      new Date().toISOString(),
    );
  }

  const statuses = async () =>
    (await storage.db.selectFrom('outbox').select('status').execute()).map((r) => r.status);

  it('retries a settle that failed (database restarting) until the row is recorded as sent', async () => {
    let failures = 3;
    const flaky: OutboxStore = Object.create(store) as OutboxStore;
    flaky.settle = async (...args) => {
      if (failures > 0) {
        failures -= 1;
        throw new Error('connection terminated unexpectedly');
      }
      return store.settle(...args);
    };
    await insertAssignment(storage.db, 'as-1', { total: 2 });
    await enqueue(2, 'as-1');
    const finished: string[] = [];
    const logs = new LogCapture();
    worker = new DeliveryWorker({
      store: flaky,
      sender,
      logger: createLogger('warn', logs),
      ratePerSecond: 50,
      idleMs: 20,
      leaseMs: 60_000,
      onAssignmentFinished: async (id) => void finished.push(id),
    });
    worker.start();
    await eventually(
      async () => (await statuses()).join() === 'sent,sent',
      'both rows recorded as sent',
      10_000,
    );
    // Each message went out once: a failed settle is not a reason to send again.
    expect(sent).toHaveLength(2);
    expect(new Set(sent).size).toBe(2);
    await eventually(() => finished.length > 0, 'the assignment finished', 5000);
    expect(finished).toEqual(['as-1']);
    expect(logs.lines.some((line) => line.msg === 'outbox settle failed')).toBe(true);
  });

  it('finishes an assignment whose last check was given up (stopped during an outage), and only that one', async () => {
    // Every row of this one was settled, but the worker that settled the last one stopped before
    // its "finished?" check could reach the database: no settle of it will ever come again.
    await insertAssignment(storage.db, 'as-given-up', { total: 2 });
    await store.enqueue(lessonMessages('as-given-up', 2), new Date().toISOString());
    await storage.db.updateTable('outbox').set({ status: 'sent' }).execute();
    // This one still has a row another live worker is sending.
    await store.heartbeat('other', new Date().toISOString(), '1970-01-01T00:00:00.000Z');
    await insertAssignment(storage.db, 'as-running');
    await store.enqueue(lessonMessages('as-running', 1), new Date().toISOString());
    await storage.db
      .updateTable('outbox')
      .set({
        status: 'sending',
        claimed_by: 'other',
        lease_until: new Date(Date.now() + 60_000).toISOString(),
      })
      .where('assignment_id', '=', 'as-running')
      .execute();
    const finished: string[] = [];
    worker = new DeliveryWorker({
      store,
      sender,
      logger: createLogger('silent'),
      ratePerSecond: 50,
      idleMs: 20,
      onAssignmentFinished: async (id) => void finished.push(id),
    });
    worker.start();
    await worker.whenIdle();
    expect(finished).toEqual(['as-given-up']);
    const rows = await storage.db
      .selectFrom('assignments')
      .select(['id', 'finished_at', 'final_sent'])
      .orderBy('id')
      .execute();
    expect(rows.map((r) => [r.id, r.finished_at !== null, r.final_sent])).toEqual([
      ['as-given-up', true, 2],
      ['as-running', false, null],
    ]);
    expect(sent).toEqual([]);
  });

  it('takes back at once a row left sending under its own name (a claim whose answer was lost), and sends it once', async () => {
    await enqueue(1);
    worker = new DeliveryWorker({
      store,
      sender,
      logger: createLogger('silent'),
      ratePerSecond: 50,
      idleMs: 20,
    });
    worker.start();
    await eventually(async () => (await statuses()).join() === 'sent', 'the row sent', 10_000);
    // The claim's UPDATE committed, but its answer never reached the worker (connection cut).
    await enqueue(1);
    await storage.db
      .updateTable('outbox')
      .set({
        status: 'sending',
        claimed_by: worker.id,
        lease_until: new Date(Date.now() + 60_000).toISOString(),
      })
      .where('status', '=', 'pending')
      .execute();
    // Not after its 60 s lease: at the next claim.
    await eventually(async () => (await statuses()).join() === 'sent,sent', 'both sent', 5000);
    expect(sent).toHaveLength(2);
    expect(new Set(sent).size).toBe(2);
  });

  it('shares the rate with a worker at once, and takes its share back only after three beats without it', async () => {
    worker = new DeliveryWorker({
      store,
      sender,
      logger: createLogger('silent'),
      ratePerSecond: 50,
      idleMs: 20,
      beatMs: 100,
    });
    // Another instance beating (its own beats, as that instance would write them).
    let otherBeating = true;
    const beatAsOther = async () => {
      while (otherBeating) {
        await store.heartbeat('other', new Date().toISOString(), '1970-01-01T00:00:00.000Z');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const other = beatAsOther();
    worker.start();
    await eventually(async () => worker?.sharingWith === 2, 'the rate shared with the other', 5000);
    // The other stops beating: three beats later it is counted out of the registry; its share
    // comes back only after three more beats without it.
    otherBeating = false;
    await other;
    const stopped = Date.now();
    await eventually(
      async () =>
        (await storage.db.selectFrom('delivery_workers').select('worker_id').execute()).length ===
        1,
      'the other counted out',
      5000,
    );
    expect(worker.sharingWith).toBe(2);
    await eventually(async () => worker?.sharingWith === 1, 'the whole rate back', 5000);
    // Counted out after 3 beats, share back 2 beats later at the earliest (the other's last beat
    // came up to 50 ms before `stopped`): never sooner than 4 beats.
    expect(Date.now() - stopped).toBeGreaterThanOrEqual(400);
  });

  it('does not send a row another worker took over while it was paused (it was counted out)', async () => {
    await enqueue(1);
    let release!: () => void;
    const paused = new Promise<void>((resolve) => (release = resolve));
    let reachedSend = false;
    const pausingSender: MessageSender = {
      async send(message: OutboxMessage, { acquire }) {
        reachedSend = true;
        await paused;
        await acquire();
        sent.push(message.id);
        return { kind: 'sent', conversationId: message.conversationId ?? 'a:new' };
      },
    };
    const logs = new LogCapture();
    worker = new DeliveryWorker({
      store,
      sender: pausingSender,
      logger: createLogger('info', logs),
      ratePerSecond: 50,
      idleMs: 20,
    });
    worker.start();
    await eventually(async () => reachedSend, 'the row claimed and about to be sent', 5000);
    // Meanwhile another worker, alive, took it over (this one had been counted out) and sends it.
    await store.heartbeat('other', new Date().toISOString(), '1970-01-01T00:00:00.000Z');
    await storage.db.updateTable('outbox').set({ claimed_by: 'other' }).execute();
    release();
    await eventually(
      async () => logs.lines.some((l) => String(l.msg).includes('taken over by another worker')),
      'the worker gives the row up',
      5000,
    );
    expect(sent).toEqual([]);
    const row = await storage.db
      .selectFrom('outbox')
      .select(['status', 'claimed_by'])
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'sending', claimed_by: 'other' });
  });

  it('sends each request the moment it has its rate-limit slot: a slow claim check does not release them in a bunch', async () => {
    // The database holds every claim check (a busy pool, new connections) for a while.
    let open!: () => void;
    const slowMoment = new Promise<void>((resolve) => (open = resolve));
    const slow: OutboxStore = Object.create(store) as OutboxStore;
    slow.stillHolds = async (...args) => {
      await slowMoment;
      return store.stillHolds(...args);
    };
    const sentAt: number[] = [];
    const timing: MessageSender = {
      async send(message: OutboxMessage, { acquire }) {
        await acquire();
        sentAt.push(Date.now());
        return { kind: 'sent', conversationId: message.conversationId ?? 'a:new' };
      },
    };
    await enqueue(10);
    worker = new DeliveryWorker({
      store: slow,
      sender: timing,
      logger: createLogger('silent'),
      ratePerSecond: 20,
      idleMs: 20,
    });
    worker.start();
    // Long enough for the limiter to have handed out every slot, were slots taken before the check.
    await new Promise((resolve) => setTimeout(resolve, 800));
    open();
    await eventually(async () => sentAt.length === 10, 'the ten sent', 10_000);
    // Slots at 95 % of 20 per second with a bucket of one: ten requests span at least nine slots
    // (474 ms). Slots taken before the check would have left together when the database answered.
    expect(sentAt[9]! - sentAt[0]!).toBeGreaterThanOrEqual(450);
  });

  it('tells when it is idle: only after every due row was sent, and at once when not running', async () => {
    const slow: MessageSender = {
      async send(message: OutboxMessage, { acquire }) {
        await acquire();
        await new Promise((resolve) => setTimeout(resolve, 30));
        sent.push(message.id);
        return { kind: 'sent', conversationId: message.conversationId ?? 'a:new' };
      },
    };
    // A long idle poll: only the pokes of `whenIdle` make it claim soon.
    worker = new DeliveryWorker({
      store,
      sender: slow,
      logger: createLogger('silent'),
      ratePerSecond: 2,
      idleMs: 60_000,
    });
    await worker.whenIdle();
    worker.start();
    await enqueue(5);
    await worker.whenIdle();
    expect(sent).toHaveLength(5);
    expect(await statuses()).toEqual(['sent', 'sent', 'sent', 'sent', 'sent']);
    await worker.whenIdle();
    expect(sent).toHaveLength(5);
  });
});
