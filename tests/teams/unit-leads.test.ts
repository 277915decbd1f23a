import { randomUUID } from 'node:crypto';
import { translate } from '../../src/i18n/messages';
import {
  cardActions,
  cardText,
  invokeCard,
  newUser,
  TENANT,
  type TestUser,
} from '../support/activities';
import { TestClock } from '../support/brevet-harness';
import { conversationFixture } from '../support/conversation';
import { type FakeMember } from '../support/fake-connector';
import { FakeOneDrive } from '../support/fake-onedrive';
import { testDialects } from '../support/postgres';
import { eventually } from '../support/eventually';

// The team of tests/fixtures/teams-activities/channel-mention-message.json.
const TEAM_ID = '19:WxMjo8fxufyXltzV3KGHTdV9CMyuLR8h@thread.tacv2';
const FIXTURE = { CONTENT_DIR: 'tests/fixtures/content' };

function member(user: TestUser, name: string): FakeMember {
  return {
    id: `29:${user.aadObjectId}`,
    aadObjectId: user.aadObjectId,
    name,
    userPrincipalName: `${name.toLowerCase()}@defence.example`,
  };
}

/** A lesson card posted to the team's channel (not a reply, not a summary). */
function isLessonPost(
  call: { conversationId: string; activity: unknown },
  lessonId: string,
): boolean {
  return (
    call.conversationId === TEAM_ID &&
    JSON.stringify(call.activity).includes(`"lessonId":"${lessonId}"`)
  );
}

describe.each(testDialects())('on %s, unit leads', (dialect) => {
  const drive = new FakeOneDrive();
  const admin = newUser('en-GB');
  const lead = newUser('fr-BE');
  const members = Array.from({ length: 6 }, (_, i) => newUser(i % 2 ? 'nl-BE' : 'de-DE'));
  beforeAll(() => drive.start());
  const chat = conversationFixture({
    dialect,
    env: {
      ...FIXTURE,
      ADMIN_AAD_OBJECT_IDS: admin.aadObjectId.toUpperCase(),
      TEAMS_GLOBAL_RPS: '200',
    },
    options: { delivery: { idleMs: 20 } },
  });
  const { connector, clock } = chat;
  connector.setRoster(TEAM_ID, [
    member(admin, 'Admin'),
    member(lead, 'Lead'),
    ...members.map((m, i) => member(m, `Member${i}`)),
  ]);
  afterAll(() => drive.stop());

  const say = async (user: TestUser, text: string) => {
    connector.clear();
    const activity = chat.send(user).channelMessage(text);
    expect((await chat.app.post(activity)).status).toBe(200);
    // The reply to the command, in the command's thread (the worker's sends go elsewhere).
    const reply = connector.calls.find((c) => c.conversationId === activity.conversation.id);
    return cardText(reply?.activity);
  };
  const outboxCount = async () =>
    Number(
      (
        await chat.app.brevet.storage.db
          .selectFrom('outbox')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('refuses lead commands to a member, politely, and sends nothing', async () => {
    for (const text of ['push f1-a', 'assign f1-a', 'report', 'lead add Member0@defence.example']) {
      expect(await say(members[0]!, text)).toContain(translate('de', 'lead.notAllowed'));
    }
    expect(await outboxCount()).toBe(0);
  });

  it('lets an admin name a lead by e-mail or @mention, and remove one', async () => {
    expect(await say(lead, 'responsable ajouter lead@defence.example')).toContain(
      translate('fr', 'lead.notAllowed'),
    );
    expect(await say(admin, 'lead add lead@defence.example')).toContain(
      translate('en', 'lead.added', { name: 'Lead' }),
    );
    const mention = chat.send(admin).channelMessage('lead add <at>Member5</at>');
    mention.entities.push({
      type: 'mention',
      mentioned: { id: `29:${members[5]!.aadObjectId}`, name: 'Member5' },
      text: '<at>Member5</at>',
    });
    connector.clear();
    await chat.app.post(mention);
    expect(
      cardText(connector.calls.find((c) => c.conversationId === mention.conversation.id)?.activity),
    ).toContain(translate('en', 'lead.added', { name: 'Member5' }));
    expect(await say(admin, 'lead remove member5@defence.example')).toContain(
      translate('en', 'lead.removed', { name: 'Member5' }),
    );
    expect(await say(admin, 'lead add nobody@defence.example')).toContain(
      translate('en', 'lead.userNotFound'),
    );
  });

  it('answers a failed member look-up with the apology, logged, not with “not found”', async () => {
    const failures = () =>
      chat.app.logs.lines.filter((line) => line.msg === 'team member could not be looked up');
    // Throttled, or refused (botbuilder retries a 5xx by itself, for seconds).
    for (const status of [429, 403]) {
      connector.failMemberLookups(status);
      const answer = await say(admin, 'lead add member4@defence.example');
      expect([status, answer]).toEqual([
        status,
        expect.stringContaining(translate('en', 'error.apology')),
      ]);
      expect(answer).not.toContain(translate('en', 'lead.userNotFound'));
    }
    expect(
      failures().map((line) => [line.level, (line.err as { statusCode?: number }).statusCode]),
    ).toEqual([
      [50, 429],
      [50, 403],
    ]);
    expect(JSON.stringify(failures())).not.toContain('member4@defence.example');
    // Nobody was named lead meanwhile.
    expect(await say(members[4]!, 'push f1-a')).toContain(translate('de', 'lead.notAllowed'));

    // Teams' "no such member" is an answer, whether it comes as a 404 or as a 400.
    connector.failMemberLookups(400, 1, { error: { code: 'MemberNotFoundInConversation' } });
    expect(await say(admin, 'lead add member4@defence.example')).toContain(
      translate('en', 'lead.userNotFound'),
    );
    expect(failures()).toHaveLength(2);
  });

  it('pushes a lesson to the channel; each member answers in their own view and it counts in 1:1', async () => {
    expect(await say(lead, 'publier f1-a')).toContain(
      translate('fr', 'lead.pushQueued', { lesson: 'f1-a' }),
    );
    const post = await eventually(
      () =>
        connector.calls.find(
          (c) => c.conversationId === TEAM_ID && cardText(c.activity).includes('Lesson f1-a FR'),
        ),
      'the channel post',
    );
    expect(post.activityId).toBeUndefined();

    // A member clicks "Take the quiz" in the channel: the answer is theirs alone.
    const clicker = members[1]!;
    const inChannel = (verb: string, data: object) => {
      const activity = chat.send(clicker).execute(verb, data);
      activity.conversation = {
        isGroup: true,
        conversationType: 'channel',
        tenantId: TENANT,
        id: `${TEAM_ID};messageid=1`,
      };
      activity.channelData = {
        ...activity.channelData,
        team: { id: TEAM_ID },
        channel: { id: TEAM_ID },
      };
      return activity;
    };
    const question = invokeCard(
      (await chat.app.post(inChannel('quiz.start', { lessonId: 'f1-a' }))).body,
    );
    expect(cardText(question)).toContain('Question one of f1-a');
    await chat.app.post(
      inChannel('quiz.answer', { lessonId: 'f1-a', questionId: 'q1', choiceId: 'b' }),
    );
    const summary = invokeCard(
      (
        await chat.app.post(
          inChannel('quiz.answer', { lessonId: 'f1-a', questionId: 'q2', choiceId: 'false' }),
        )
      ).body,
    );
    expect(cardText(summary)).toContain('2');
    expect(JSON.stringify(summary)).not.toContain('lesson.next');

    connector.clear();
    await chat.app.post(chat.send(clicker).message('lessons'));
    expect(cardText(connector.cards()[0])).toContain(
      translate('nl', 'lessons.done', { score: 100 }),
    );

    // Another member on a client without Action.Execute (cards 1.2): their Submit click must not
    // replace the channel's card, nor post their answer there; their card goes to their 1:1 chat.
    const mobile = members[3]!;
    const submitInChannel = chat.send(mobile).submit('quiz.start', {
      lessonId: 'f1-a',
    });
    submitInChannel.conversation = {
      isGroup: true,
      conversationType: 'channel',
      tenantId: TENANT,
      id: `${TEAM_ID};messageid=1`,
    };
    submitInChannel.channelData = {
      ...submitInChannel.channelData,
      team: { id: TEAM_ID },
      channel: { id: TEAM_ID },
    };
    submitInChannel.replyToId = '1';
    connector.clear();
    expect((await chat.app.post(submitInChannel)).status).toBe(200);
    const privateCard = await eventually(
      () =>
        connector.calls.find(
          (c) =>
            c.conversationId === connector.conversationFor(`29:${mobile.aadObjectId}`) &&
            cardText(c.activity).includes('Question one of f1-a'),
        ),
      'the quiz in the member’s 1:1 chat',
    );
    expect(privateCard.method).toBe('POST');
    expect(
      connector.calls.filter((c) => c.conversationId.startsWith(TEAM_ID) || c.method === 'PUT'),
    ).toEqual([]);
  });

  it('assigns a lesson 1:1 to every member, through blocks, failures and a lost chat, and reports deliveries', async () => {
    connector.clear();
    connector.block(`29:${members[2]!.aadObjectId}`);
    connector.failWith(503, 2);
    const text = await say(lead, 'assigner f1-b');
    expect(text).toContain(translate('fr', 'lead.assignStarted', { lesson: 'f1-b', total: 8 }));

    const summaryTitle = translate('fr', 'deliveries.summaryTitle', {
      lesson: 'f1-b “Lesson f1-b FR”',
    });
    const summary = await eventually(
      () =>
        connector.calls.find(
          (c) => c.conversationId === TEAM_ID && cardText(c.activity).includes(summaryTitle),
        ),
      'the assignment summary',
      30_000,
    );
    expect(cardText(summary.activity)).toContain(
      translate('fr', 'deliveries.counts', {
        sent: 7,
        pending: 0,
        failed: 0,
        blocked: 1,
        total: 8,
      }),
    );
    // The channel sees counts only: who blocked the bot is not named there.
    expect(cardText(summary.activity)).not.toContain('Member2');
    expect(cardText(summary.activity)).toContain(translate('fr', 'deliveries.namesInChat'));
    // The lead who asked gets the names in their 1:1 chat.
    const leadChat = connector.conversationFor(`29:${lead.aadObjectId}`)!;
    const named = await eventually(
      () => connector.cards(leadChat).find((card) => cardText(card).includes(summaryTitle)),
      'the named summary in the lead’s chat',
    );
    expect(cardText(named)).toContain('Member2');
    expect(cardText(named)).toContain(translate('fr', 'deliveries.blocked'));
    // Every reachable member got exactly one lesson, in a 1:1 chat created for them (the lead
    // also got the named summary).
    for (const user of [admin, lead, ...members]) {
      const conversation = connector.conversationFor(`29:${user.aadObjectId}`);
      expect(conversation).toBeDefined();
      const expected = user === members[2] ? 0 : user === lead ? 2 : 1;
      expect([user.aadObjectId, connector.sentPerConversation.get(conversation!) ?? 0]).toEqual([
        user.aadObjectId,
        expected,
      ]);
    }
    // `envois` typed in the channel: counts there, names in the lead's chat.
    connector.clear();
    const deliveries = await say(lead, 'envois');
    expect(deliveries).not.toContain('Member2');
    expect(deliveries).toContain(translate('fr', 'deliveries.namesInChat'));
    const privately = await eventually(
      () => connector.cards(leadChat).find((card) => cardText(card).includes('Member2')),
      'the named deliveries in the lead’s chat',
    );
    expect(cardText(privately)).toContain(translate('fr', 'deliveries.blocked'));

    // The assigned lesson is served: the member can page and answer it 1:1.
    const send = chat.send(members[3]!);
    const quiz = invokeCard(
      (await chat.app.post(send.execute('quiz.start', { lessonId: 'f1-b' }))).body,
    );
    expect(cardText(quiz)).toContain('Question one of f1-b');
  });

  it('recreates a chat the user deleted (404) once, then delivers', async () => {
    const conversation = connector.conversationFor(`29:${members[4]!.aadObjectId}`)!;
    connector.loseConversation(conversation);
    connector.clear();
    await say(lead, 'assign f2-a');
    await eventually(
      async () =>
        (
          await chat.app.brevet.storage.db
            .selectFrom('outbox')
            .select('id')
            .where('status', 'in', ['pending', 'sending'])
            .execute()
        ).length === 0
          ? true
          : undefined,
      'the outbox to drain',
    );
    // Chats created by the first assignment were kept on the learners: only the lost one is new.
    expect(connector.createdConversations).toBe(1);
    const fresh = connector.conversationFor(`29:${members[4]!.aadObjectId}`)!;
    expect(fresh).not.toBe(conversation);
    expect(connector.sentPerConversation.get(fresh)).toBe(1);
  });

  it('schedules in Brussels time, lists, cancels, and fires once', async () => {
    clock.set('2026-11-29T09:00:00Z');
    const scheduled = await say(lead, 'schedule push f1-b 2026-11-30 08:30');
    const id = /\*\*([0-9a-f]{6})\*\*/.exec(scheduled)![1]!;
    const other = /\*\*([0-9a-f]{6})\*\*/.exec(
      await say(lead, 'plannen publiceer f2-a 2026-12-01 08:30'),
    )![1]!;
    expect(await say(lead, 'scheduled')).toContain(id);
    expect(await say(lead, `cancel ${other}`)).toContain(
      translate('fr', 'lead.cancelled', { id: other }),
    );
    expect(await say(lead, 'schedule push f1-b 2020-01-01 08:00')).toContain(
      translate('fr', 'lead.inThePast'),
    );
    expect(await say(lead, 'schedule push f1-b tomorrow')).toContain(
      translate('fr', 'lead.badTime'),
    );

    const row = await chat.app.brevet.storage.db
      .selectFrom('schedules')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.fire_at).toBe('2026-11-30T07:30:00.000Z');

    connector.clear();
    clock.set('2026-11-30T07:29:00Z');
    await chat.app.brevet.schedules.tick();
    clock.set('2026-11-30T07:31:00Z');
    await Promise.all([chat.app.brevet.schedules.tick(), chat.app.brevet.schedules.tick()]);
    await chat.app.brevet.schedules.tick();
    chat.app.brevet.worker.poke();
    await eventually(
      () => connector.calls.find((c) => isLessonPost(c, 'f1-b')),
      'the scheduled post',
    );
    await chat.app.brevet.worker.whenIdle();
    expect(connector.calls.filter((c) => isLessonPost(c, 'f1-b'))).toHaveLength(1);
    clock.set('2026-12-02T09:00:00Z');
    await chat.app.brevet.schedules.tick();
    await chat.app.brevet.worker.whenIdle();
    expect(connector.calls.filter((c) => isLessonPost(c, 'f2-a'))).toHaveLength(0);
  });

  it('reports the unit: members, phases and the share right per question', async () => {
    clock.set('2026-11-29T09:00:00Z');
    const report = await say(lead, 'rapport');
    expect(report).toContain(translate('fr', 'report.members', { members: 8 }));
    expect(report).toContain(
      translate('fr', 'report.question', { question: 'q1', share: 100, answered: 1 }),
    );
  });

  it('exports the report per member as a CSV file in the lead’s 1:1 chat (file consent)', async () => {
    clock.set('2026-11-29T09:00:00Z');
    expect(await say(members[0]!, 'rapport csv')).toContain(translate('de', 'lead.notAllowed'));
    expect(await say(lead, 'rapport csv')).toContain(translate('fr', 'export.sent'));
    const isAttachment = (call: { activity: any }, contentType: string) =>
      call.activity.attachments?.[0]?.contentType === contentType;
    const offer = await eventually(
      () =>
        connector.calls.find(
          (c) =>
            c.conversationId === connector.conversationFor(`29:${lead.aadObjectId}`) &&
            isAttachment(c, 'application/vnd.microsoft.teams.card.file.consent'),
        ),
      'the file consent card in the lead’s chat',
    );
    const consent = (offer.activity as Record<string, any>).attachments[0];
    expect(consent.name).toBe('brevet-unit-alpha-2026-11-29.csv');
    expect(consent.content.acceptContext).toEqual({ kind: 'report-csv', teamId: TEAM_ID });
    expect(consent.content.description).toContain('Unit Alpha');
    expect(consent.content.sizeInBytes).toBeGreaterThan(100);

    // The lead accepts in 1:1: Teams opens an upload session in their OneDrive and invokes us.
    const send = chat.send(lead);
    const session = drive.session(consent.name);
    connector.clear();
    const accepted = await chat.app.post(
      send.fileConsent('accept', consent.content.acceptContext, session),
    );
    expect(accepted.status).toBe(200);
    const lines = drive.file(session.uniqueId)!.toString('utf8').slice(1).split('\r\n');
    expect(lines).toHaveLength(1 + 8 + 1);
    expect(lines[0]!.startsWith('Nom;E-mail;')).toBe(true);
    const member1 = lines.find((line) => line.startsWith('Member1;'))!.split(';');
    // Phase 1: f1-a done (2 of 2 right in the channel), f1-b assigned and opened.
    expect(member1.slice(1, 9)).toEqual([
      'member1@defence.example',
      members[1]!.aadObjectId,
      '',
      'commencée',
      '1',
      '2',
      '100',
      'non',
    ]);
    const info = connector.calls.find((c) =>
      isAttachment(c, 'application/vnd.microsoft.teams.card.file.info'),
    )!;
    expect((info.activity as Record<string, any>).attachments[0]).toMatchObject({
      contentUrl: session.contentUrl,
      name: consent.name,
      content: { uniqueId: session.uniqueId, fileType: 'csv' },
    });
    expect(info.activity.text).toBe(translate('fr', 'export.uploaded', { team: 'Unit Alpha' }));

    // A member who sends the same consent (the card's context is theirs to forge): refused.
    const forged = drive.session('forged.csv');
    connector.clear();
    await chat.app.post(
      chat.send(members[0]!).fileConsent('accept', consent.content.acceptContext, forged),
    );
    expect(drive.file(forged.uniqueId)).toBeUndefined();
    expect(cardText(connector.cards()[0])).toContain(translate('de', 'lead.notAllowed'));

    // OneDrive fails: the lead is told, nothing is shared. Declining: a short answer.
    connector.clear();
    await chat.app.post(
      send.fileConsent(
        'accept',
        consent.content.acceptContext,
        drive.session('broken.csv', { failWith: 500 }),
      ),
    );
    expect(cardText(connector.cards()[0])).toContain(translate('fr', 'export.failed'));
    connector.clear();
    await chat.app.post(send.fileConsent('decline', consent.content.declineContext));
    expect(cardText(connector.cards()[0])).toContain(translate('fr', 'export.declined'));
    expect(chat.app.logs.lines.some((l) => l.msg === 'report exported')).toBe(true);
    expect(JSON.stringify(chat.app.logs.lines)).not.toContain('member1@defence.example');
  });

  it('refuses an old export card to a lead who has left the team, who is removed by object id', async () => {
    const leaver = newUser('en-GB');
    const roster = [
      member(admin, 'Admin'),
      member(lead, 'Lead'),
      ...members.map((m, i) => member(m, `Member${i}`)),
    ];
    connector.setRoster(TEAM_ID, [...roster, member(leaver, 'Leaver')]);
    try {
      expect(await say(admin, 'lead add leaver@defence.example')).toContain(
        translate('en', 'lead.added', { name: 'Leaver' }),
      );
      expect(await say(leaver, 'report csv')).toContain(translate('en', 'export.sent'));
      const offer = await eventually(
        () =>
          connector.calls.find(
            (c) =>
              c.conversationId === connector.conversationFor(`29:${leaver.aadObjectId}`) &&
              (c.activity as Record<string, any>).attachments?.[0]?.contentType ===
                'application/vnd.microsoft.teams.card.file.consent',
          ),
        'the file consent card in the leaver’s chat',
      );
      const consent = (offer.activity as Record<string, any>).attachments[0];

      // They leave the team, then accept the card from their 1:1 chat: nothing is uploaded.
      connector.setRoster(TEAM_ID, roster);
      const session = drive.session('leaver.csv');
      connector.clear();
      await chat.app.post(
        chat.send(leaver).fileConsent('accept', consent.content.acceptContext, session),
      );
      expect(drive.file(session.uniqueId)).toBeUndefined();
      expect(cardText(connector.cards()[0])).toContain(translate('en', 'lead.notAllowed'));

      // Out of the roster, they cannot be found by e-mail; the object id removes them.
      expect(await say(admin, 'lead remove leaver@defence.example')).toContain(
        translate('en', 'lead.userNotFound'),
      );
      const id = leaver.aadObjectId.toUpperCase();
      expect(await say(admin, `lead remove ${id}`)).toContain(
        translate('en', 'lead.removedById', { id: leaver.aadObjectId }),
      );
      expect(await say(admin, `lead remove ${id}`)).toContain(
        translate('en', 'lead.notALeadId', { id: leaver.aadObjectId }),
      );
      // A lead may not remove anyone, by object id or otherwise.
      expect(await say(lead, `lead remove ${admin.aadObjectId}`)).toContain(
        translate('fr', 'lead.notAllowed'),
      );
    } finally {
      connector.setRoster(TEAM_ID, roster);
    }
  });

  it('keeps the leaderboard off until an admin turns it on, then ranks the team', async () => {
    clock.set('2026-11-29T09:00:00Z');
    expect(await say(members[0]!, 'rangliste')).toContain(
      translate('de', 'lead.leaderboardDisabled'),
    );
    // Leads and members cannot turn it on: only the training office (admins).
    expect(await say(lead, 'classement oui')).toContain(translate('fr', 'lead.notAllowed'));
    expect(await say(members[0]!, 'leaderboard on')).toContain(translate('de', 'lead.notAllowed'));
    expect(await say(admin, 'leaderboard on')).toContain(translate('en', 'lead.leaderboardOn'));

    // Member1 answered f1-a right twice in the channel (push test); Member2 does the same with
    // the assigned f1-b in 1:1, Member3 gets one of two right.
    for (const [user, rightAnswers] of [
      [members[2]!, 2],
      [members[3]!, 1],
    ] as const) {
      const send = chat.send(user);
      await chat.app.post(send.execute('quiz.start', { lessonId: 'f1-b' }));
      await chat.app.post(
        send.execute('quiz.answer', { lessonId: 'f1-b', questionId: 'q1', choiceId: 'b' }),
      );
      const q2 = rightAnswers === 2 ? 'false' : 'true';
      const summary = await chat.app.post(
        send.execute('quiz.answer', { lessonId: 'f1-b', questionId: 'q2', choiceId: q2 }),
      );
      expect(cardText(invokeCard(summary.body))).toContain(`${rightAnswers}`);
    }
    const board = await say(members[4]!, 'rangliste');
    // Rank, name, lessons, brevets: ties share a rank, then the next rank skips.
    expect(board).toContain(
      ['1', 'Member1', '1', '0', '1', 'Member2', '1', '0', '3', 'Member3', '1', '0'].join('\n'),
    );
    expect(board).toContain(translate('de', 'leaderboard.note', { participants: 3, members: 8 }));
    expect(board).not.toContain('Member0');

    expect(await say(admin, 'leaderboard off')).toContain(translate('en', 'lead.leaderboardOff'));
    expect(await say(members[4]!, 'rangliste')).toContain(
      translate('de', 'lead.leaderboardDisabled'),
    );
  });

  it('uses the lead’s language for members it has never heard from, then their own', async () => {
    const user = members[5]!; // nl-BE, first met through the French lead's assignment.
    const stored = () =>
      chat.app.brevet.storage.db
        .selectFrom('learners')
        .select(['language', 'language_confirmed'])
        .where('user_key', '=', user.aadObjectId)
        .executeTakeFirstOrThrow();
    expect(await stored()).toEqual({ language: 'fr', language_confirmed: 0 });
    const send = chat.send(user);
    connector.clear();
    await chat.app.post(send.message('voortgang'));
    expect(cardText(connector.cards()[0])).toContain(translate('nl', 'progress.title'));
    expect(await stored()).toEqual({ language: 'nl', language_confirmed: 1 });
    // A language chosen with `language` stays, whatever the client says.
    await chat.app.post(send.message('taal de'));
    connector.clear();
    await chat.app.post(send.message('help'));
    expect(cardText(connector.cards()[0])).toContain(translate('de', 'help.title'));
    expect(await stored()).toEqual({ language: 'de', language_confirmed: 1 });
  });

  it('lets a lead set the team’s time zone for schedules', async () => {
    clock.set('2026-11-29T09:00:00Z');
    expect(await say(members[0]!, 'zeitzone Europe/Berlin')).toContain(
      translate('de', 'lead.notAllowed'),
    );
    expect(await say(lead, 'fuseau')).toContain(
      translate('fr', 'lead.timeZoneShow', { zone: 'Europe/Brussels' }),
    );
    expect(await say(lead, 'fuseau Mars/Olympus_Mons')).toContain(
      translate('fr', 'lead.badTimeZone', { zone: 'Mars/Olympus_Mons' }),
    );
    expect(await say(lead, 'fuseau America/New_York')).toContain(
      translate('fr', 'lead.timeZoneSet', { zone: 'America/New_York' }),
    );
    expect(await say(lead, 'push')).toContain(
      translate('fr', 'lead.scheduleAt', { zone: 'America/New_York' }),
    );
    const scheduled = await say(lead, 'schedule push f1-b 2026-12-03 08:30');
    expect(scheduled).toContain('(America/New_York)');
    const id = /\*\*([0-9a-f]{6})\*\*/.exec(scheduled)![1]!;
    const row = await chat.app.brevet.storage.db
      .selectFrom('schedules')
      .select('fire_at')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.fire_at).toBe('2026-12-03T13:30:00.000Z');

    // Back to Brussels; the schedule made in New York time keeps its moment.
    expect(await say(lead, 'fuseau Europe/Brussels')).toContain(
      translate('fr', 'lead.timeZoneSet', { zone: 'Europe/Brussels' }),
    );
    expect(await say(lead, `cancel ${id}`)).toContain(translate('fr', 'lead.cancelled', { id }));
  });

  it('offers a picker card for push, assign and schedule, checking the clicker’s role', async () => {
    const picker = await say(lead, 'push');
    expect(picker).toContain(translate('fr', 'lead.pickerTitle'));
    expect(picker).toContain('f1-a · Lesson f1-a FR');
    expect(picker).not.toContain('f3-a');
    const click = (user: TestUser, verb: string, data: object) => {
      const activity = chat.send(user).execute(verb, data);
      activity.conversation = {
        isGroup: true,
        conversationType: 'channel',
        tenantId: TENANT,
        id: `${TEAM_ID};messageid=2`,
      };
      activity.channelData = {
        ...activity.channelData,
        team: { id: TEAM_ID, name: 'Unit Alpha' },
        channel: { id: TEAM_ID },
      };
      return chat.app.post(activity);
    };
    // members[0] first met Brevet through the French lead's assignment, then spoke from a
    // German Teams client: German since then.
    const refused = await click(members[0]!, 'lead.push', { lessonId: 'f1-a' });
    expect(cardText(invokeCard(refused.body))).toContain(translate('de', 'lead.notAllowed'));
    const pushed = await click(lead, 'lead.push', { lessonId: 'f1-a' });
    expect(cardText(invokeCard(pushed.body))).toContain(
      translate('fr', 'lead.pushQueued', { lesson: 'f1-a' }),
    );
    const scheduled = await click(lead, 'lead.schedule', {
      lessonId: 'f1-b',
      action: 'assign',
      date: '2027-01-04',
      time: '10:15',
    });
    expect(cardText(invokeCard(scheduled.body))).toContain('2027-01-04 10:15');
    const stale = await click(lead, 'lead.schedule', { action: 'assign' });
    expect(cardText(invokeCard(stale.body))).toContain(translate('fr', 'error.staleCard'));

    // Anything else in the channel: the lead menu, a button for each lead command.
    const menu = await say(lead, 'bonjour');
    expect(menu).toContain(translate('fr', 'help.channel'));
    for (const key of ['lead.menuPicker', 'lead.schedulesTitle', 'report.title'] as const)
      expect(menu).toContain(translate('fr', key));
    const fromMenu = async (user: TestUser, command: string) =>
      cardText(invokeCard((await click(user, 'lead.menu', { command })).body));
    expect(await fromMenu(lead, 'report')).toContain(
      translate('fr', 'report.members', { members: 8 }),
    );
    expect(await fromMenu(lead, 'picker')).toContain(translate('fr', 'lead.pickerTitle'));
    expect(await fromMenu(members[0]!, 'deliveries')).toContain(translate('de', 'lead.notAllowed'));
    // The leaderboard is for everyone (and off in this team).
    expect(await fromMenu(members[0]!, 'leaderboard')).toContain(
      translate('de', 'lead.leaderboardDisabled'),
    );
    expect(await fromMenu(lead, 'nonsense')).toContain(translate('fr', 'error.staleCard'));

    // Scheduled: each schedule with a cancel button, role-checked like `cancel <id>`.
    const id = /\*\*([0-9a-f]{6})\*\*/.exec(
      await say(lead, 'schedule push f1-b 2027-02-01 09:00'),
    )![1]!;
    const list = invokeCard((await click(lead, 'lead.menu', { command: 'scheduled' })).body);
    const cancelButton = cardActions(list).find((a) => a.data.scheduleId === id)!;
    expect(cancelButton.verb).toBe('lead.cancel');
    const refusedCancel = await click(members[0]!, 'lead.cancel', { scheduleId: id });
    expect(cardText(invokeCard(refusedCancel.body))).toContain(translate('de', 'lead.notAllowed'));
    const cancelled = await click(lead, cancelButton.verb, cancelButton.data);
    expect(cardText(invokeCard(cancelled.body))).toContain(
      translate('fr', 'lead.cancelled', { id }),
    );
    expect(await say(lead, 'scheduled')).not.toContain(id);

    // The report card's export button: the same role check, then the offer in 1:1.
    const exported = await click(lead, 'lead.exportReport', {});
    expect(cardText(invokeCard(exported.body))).toContain(translate('fr', 'export.sent'));

    // Clients that render cards 1.2 send the Action.Submit fallback: a channel message.
    const submit = (user: TestUser, data: object) => {
      const activity = chat.send(user).channelMessage('');
      activity.text = '';
      activity.value = data;
      return activity;
    };
    // (Replies go to the command's thread; the worker may be posting the lesson meanwhile.)
    const thread = submit(lead, {}).conversation.id;
    connector.clear();
    await chat.app.post(submit(members[0]!, { verb: 'lead.push', lessonId: 'f1-a' }));
    expect(cardText(connector.cards(thread)[0])).toContain(translate('de', 'lead.notAllowed'));
    connector.clear();
    await chat.app.post(submit(lead, { verb: 'lead.push', lessonId: 'f1-a' }));
    expect(cardText(connector.cards(thread)[0])).toContain(
      translate('fr', 'lead.pushQueued', { lesson: 'f1-a' }),
    );
  });

  it('answers unknown lessons and bad commands with a clear card', async () => {
    expect(await say(lead, 'push nope')).toContain(
      translate('fr', 'lead.unknownLesson', { lesson: 'nope' }),
    );
    expect(await say(lead, 'push f3-a')).toContain(
      translate('fr', 'lead.phaseNotOpen', { lesson: 'f3-a', date: '1 janvier 2099' }),
    );
    expect(await say(lead, 'cancel zzzzzz')).toContain(
      translate('fr', 'lead.notCancelled', { id: 'zzzzzz' }),
    );
    expect(await say(lead, 'what')).toContain(translate('fr', 'lead.usage'));
  });
});

describe('an assignment under throttling', () => {
  const lead = newUser('en-US');
  const crowd = Array.from({ length: 40 }, () => ({
    ...newUser('en-US'),
    aadObjectId: randomUUID(),
  }));
  const chat = conversationFixture({
    clock: TestClock.atRealTime(),
    env: { ...FIXTURE, ADMIN_AAD_OBJECT_IDS: lead.aadObjectId, TEAMS_GLOBAL_RPS: '50' },
    options: { delivery: { idleMs: 20 } },
  });
  const { connector } = chat;
  connector.setRoster(
    TEAM_ID,
    crowd.map((u, i) => member(u, `M${i}`)),
  );

  it('waits for Retry-After, slows down, and delivers every message exactly once', async () => {
    connector.throttleAbove(8, 1);
    connector.clear();
    await chat.app.post(chat.send(lead).channelMessage('assign f1-a'));
    await eventually(
      () => (connector.sentCount >= 40 + 1 ? true : undefined),
      'all messages',
      40_000,
    );
    expect(connector.throttledCount).toBeGreaterThan(0);
    const perUser = crowd.map(
      (u) =>
        connector.sentPerConversation.get(connector.conversationFor(`29:${u.aadObjectId}`)!) ?? 0,
    );
    expect(perUser.every((n) => n === 1)).toBe(true);
    expect(chat.app.logs.lines.some((l) => l.msg === 'throttled by Teams')).toBe(true);
  }, 60_000);
});
