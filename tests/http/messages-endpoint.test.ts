/**
 * POST /api/messages before any turn: what it reads (JSON only, no encodings, a limit on decoded
 * bytes), what it refuses (malformed envelopes, serviceUrls it would not send its token to, other
 * channels than Teams), how fast, and what it logs and counts. Real app, real HTTP, the loopback
 * Bot Connector stand-in (which must receive nothing for a refused request).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { activitiesFor } from '../support/activities';
import { TestClock } from '../support/brevet-harness';
import { conversationFixture } from '../support/conversation';

const FIXTURE = { CONTENT_DIR: 'tests/fixtures/content' };

/** A raw POST (headers exactly as given), answered status and body, with its duration. */
function rawPost(
  baseUrl: string,
  body: Buffer | string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      `${baseUrl}/api/messages`,
      { method: 'POST', headers, timeout: 10_000 },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: text, ms: performance.now() - started }),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error('no answer within 10 s')));
    // The server may answer and close before the whole body is sent (413): that is fine.
    req.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error),
    );
    req.end(body);
  });
}

describe('POST /api/messages before any turn', () => {
  const chat = conversationFixture({
    clock: TestClock.atRealTime(),
    env: { ...FIXTURE, LOG_LEVEL: 'debug' },
  });
  const { connector } = chat;
  beforeEach(() => {
    connector.clear();
    chat.app.logs.lines.length = 0;
  });

  const message = (text = 'next') => chat.send(chat.user('en-US')).message(text);

  describe('the body', () => {
    it('is refused with 415 when compressed, even when it would inflate to a valid activity', async () => {
      // 250 KB of gzip that inflates to about 250 MB: the limit counts decoded bytes.
      const bomb = gzipSync(
        Buffer.from(JSON.stringify({ ...message(), text: 'a'.repeat(250_000_000) })),
      );
      expect(bomb.length).toBeLessThan(256 * 1024);
      const answer = await rawPost(chat.app.baseUrl, bomb, {
        'Content-Type': 'application/json',
        'Content-Encoding': 'gzip',
      });
      expect(answer.status).toBe(415);
      expect(JSON.parse(answer.body).error).toBe('unsupported_content_encoding');
      const small = gzipSync(Buffer.from(JSON.stringify(message())));
      for (const encoding of ['gzip', 'deflate', 'br', 'identity, gzip'])
        expect(
          (
            await rawPost(chat.app.baseUrl, small, {
              'Content-Type': 'application/json',
              'Content-Encoding': encoding,
            })
          ).status,
        ).toBe(415);
      expect(connector.calls).toHaveLength(0);
    });

    it('is refused with 415 unless it is application/json; multipart writes nothing to disk', async () => {
      const uploads = mkdtempSync(path.join(os.tmpdir(), 'brevet-uploads-'));
      const previous = process.env.TMPDIR;
      process.env.TMPDIR = uploads;
      try {
        const boundary = '----brevet';
        const multipart = [
          `--${boundary}`,
          'Content-Disposition: form-data; name="file"; filename="big.bin"',
          'Content-Type: application/octet-stream',
          '',
          'x'.repeat(100_000),
          `--${boundary}--`,
          '',
        ].join('\r\n');
        const answer = await rawPost(chat.app.baseUrl, multipart, {
          'Content-Type': `multipart/form-data; boundary=${boundary}`,
        });
        expect(answer.status).toBe(415);
        expect(readdirSync(uploads)).toEqual([]);
        for (const type of [
          'text/plain',
          'application/x-www-form-urlencoded',
          'application/jsonp',
          '',
        ]) {
          const headers: Record<string, string> = type ? { 'Content-Type': type } : {};
          expect((await rawPost(chat.app.baseUrl, JSON.stringify(message()), headers)).status).toBe(
            415,
          );
        }
      } finally {
        process.env.TMPDIR = previous;
        rmSync(uploads, { recursive: true, force: true });
      }
      expect(connector.calls).toHaveLength(0);
    });

    it('is limited to 256 KB whether its length is declared or not, and the app keeps serving', async () => {
      const big = JSON.stringify({ ...message(), text: 'a'.repeat(300 * 1024) });
      const declared = await rawPost(chat.app.baseUrl, big, {
        'Content-Type': 'application/json',
        'Content-Length': String(Buffer.byteLength(big)),
      });
      expect(declared.status).toBe(413);
      const chunked = await rawPost(chat.app.baseUrl, big, {
        'Content-Type': 'application/json',
        'Transfer-Encoding': 'chunked',
      });
      expect(chunked.status).toBe(413);
      expect(connector.calls).toHaveLength(0);
      // Just under the limit is read and served.
      const fits = JSON.stringify({ ...message(), text: `next ${' '.repeat(200 * 1024)}` });
      expect((await chat.app.post(fits)).status).toBe(200);
    });

    it('is a 400 when it is not JSON, with charset parameters accepted', async () => {
      const bad = await rawPost(chat.app.baseUrl, '{"type": "message",', {
        'Content-Type': 'application/json; charset=utf-8',
      });
      expect(bad.status).toBe(400);
      expect(JSON.parse(bad.body).error).toBe('invalid_json');
      const good = await rawPost(chat.app.baseUrl, JSON.stringify(message()), {
        'Content-Type': 'Application/JSON; charset=utf-8',
      });
      expect(good.status).toBe(200);
    });
  });

  describe('the activity', () => {
    it.each([
      ['missing', undefined],
      ['empty', ''],
      ['not a URL', 'smba.trafficmanager.net/emea'],
      ['ftp', 'ftp://127.0.0.1/'],
      ['a javascript: URL', 'javascript:alert(1)'],
      ['a number', 42],
    ])(
      'with a serviceUrl that is %s is answered 400 at once, and nothing is sent',
      async (_n, url) => {
        const user = chat.user('fr-BE');
        for (const activity of [
          chat.send(user).message('next'),
          chat.send(user).submit('quiz.answer', { lessonId: 'f1-a' }),
          chat.send(user).execute('quiz.answer', { lessonId: 'f1-a' }),
        ]) {
          if (url === undefined) delete activity.serviceUrl;
          else activity.serviceUrl = url;
          const answer = await rawPost(chat.app.baseUrl, JSON.stringify(activity), {
            'Content-Type': 'application/json',
          });
          expect(answer.status).toBe(400);
          expect(JSON.parse(answer.body).message).toMatch(/^activity\.serviceUrl /);
          // "At once": no connector round trip, no retry; generous for a shared machine.
          expect(answer.ms).toBeLessThan(2000);
        }
        expect(connector.calls).toHaveLength(0);
      },
    );

    it('with a serviceUrl that is not a Bot Framework service is refused (the token never goes there)', async () => {
      const activity = message();
      activity.serviceUrl = 'https://attacker.example/';
      const answer = await chat.app.post(activity);
      expect(answer.status).toBe(400);
      expect(answer.body.message).toBe('activity.serviceUrl is not a Bot Framework service URL');
    });

    it.each([
      ['channelId', 42, 'activity.channelId must be a string'],
      ['channelId', undefined, 'activity.channelId is missing'],
      ['conversation', 'a:1', 'activity.conversation must be an object'],
      ['recipient', 5, 'activity.recipient must be an object'],
      ['recipient', {}, 'activity.recipient.id is missing'],
      ['entities', 'clientInfo', 'activity.entities must be an array'],
      ['entities', [1], 'activity.entities.0 must be an object'],
      ['entities', [{ locale: 'fr-BE' }], 'activity.entities.0.type is missing'],
      ['from', { id: 7 }, 'activity.from.id must be a string'],
      ['text', { $gt: '' }, 'activity.text must be a string'],
      ['channelData', [], 'activity.channelData must be an object'],
      ['membersAdded', [{ name: 'x' }], 'activity.membersAdded.0.id is missing'],
    ])(
      'with a wrong %s (%p) is a 400 naming the field, logged as a warning without the payload',
      async (field, value, expected) => {
        const activity = message('PAYLOAD-MARKER-123');
        if (value === undefined) delete activity[field];
        else activity[field] = value;
        const answer = await chat.app.post(activity);
        expect(answer.status).toBe(400);
        expect(answer.body).toEqual({ error: 'invalid_activity', message: expected });
        expect(connector.calls).toHaveLength(0);
        const logged = JSON.stringify(chat.app.logs.lines);
        expect(logged).not.toContain('PAYLOAD-MARKER-123');
        expect(chat.app.logs.lines.filter((line) => Number(line.level) >= 50)).toEqual([]);
      },
    );

    it.each(['webchat', 'directline', 'emulator', 'msteams-evil'])(
      'from the %s channel is refused with 403: only Teams identities are served',
      async (channelId) => {
        const activity = message();
        activity.channelId = channelId;
        const answer = await chat.app.post(activity);
        expect(answer.status).toBe(403);
        expect(answer.body.error).toBe('channel_not_served');
        expect(connector.calls).toHaveLength(0);
      },
    );
  });

  describe('the activity-type metric', () => {
    const metrics = async () => (await fetch(`${chat.app.baseUrl}/metrics`)).text();

    it('counts types from a fixed list, anything else as "other"', async () => {
      for (let i = 0; i < 3; i += 1) {
        const odd = { ...message(), type: `made-up-type-${i}` };
        expect((await chat.app.post(odd)).status).toBe(200);
      }
      const text = await metrics();
      expect(text).not.toContain('made-up-type');
      expect(text).toMatch(/brevet_bot_activities_total\{type="other",app="brevet"\} [3-9]/);
      expect(text).toMatch(/brevet_bot_activities_total\{type="message",app="brevet"\} \d+/);
    });

    it('does not count refused activities', async () => {
      await chat.app.post({ ...message(), type: 'never-counted', serviceUrl: '' });
      expect(await metrics()).not.toContain('never-counted');
      expect(await metrics()).toMatch(/brevet_activities_refused_total\{reason="service_url"/);
    });
  });
});

describe('refused activities in the logs', () => {
  const chat = conversationFixture({ clock: TestClock.atRealTime(), env: FIXTURE });

  it('are one warning each, with the reason and the field but not the payload', async () => {
    const activity = activitiesFor(chat.user('en-US'), 'http://127.0.0.1:9/').message(
      'SECRET-TEXT',
    );
    activity.entities = 'SECRET-ENTITY';
    expect((await chat.app.post(activity)).status).toBe(400);
    const warnings = chat.app.logs.lines.filter((line) => line.level === 40);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({
      reason: 'malformed',
      problem: 'activity.entities must be an array',
    });
    expect(JSON.stringify(chat.app.logs.lines)).not.toMatch(/SECRET-/);
  });

  it('in a flood, do not flood the logs, and the app keeps serving', async () => {
    for (let i = 0; i < 200; i += 1)
      expect((await chat.app.post({ type: 'message', serviceUrl: '' })).status).toBe(400);
    const warnings = chat.app.logs.lines.filter((line) => line.level === 40);
    expect(warnings.length).toBeLessThanOrEqual(30);
    expect((await fetch(`${chat.app.baseUrl}/healthz`)).status).toBe(200);
  });
});
