import { randomUUID } from 'node:crypto';
import personalMessage from '../fixtures/teams-activities/personal-message.json';
import personalInstall from '../fixtures/teams-activities/personal-install-conversationUpdate.json';
import personalInstallationUpdate from '../fixtures/teams-activities/personal-installationUpdate.json';
import actionExecute from '../fixtures/teams-activities/card-action-execute-invoke.json';
import actionSubmit from '../fixtures/teams-activities/card-action-submit-message.json';
import channelMention from '../fixtures/teams-activities/channel-mention-message.json';

export const TENANT = '72f988bf-0000-0000-0000-000000000001';

/** A Teams user for tests: the envelope's sender, conversation and locale. */
export interface TestUser {
  aadObjectId: string;
  locale: string;
  tenantId?: string;
  /** What the Teams client reports as `localTimezone` (the fixtures say Europe/Brussels). */
  timeZone?: string;
}

export function newUser(locale = 'en-US', tenantId = TENANT): TestUser {
  return { aadObjectId: randomUUID(), locale, tenantId };
}

type Envelope = Record<string, any>;

function personalise(template: object, user: TestUser, serviceUrl: string): Envelope {
  const activity: Envelope = structuredClone(template);
  const tenantId = user.tenantId ?? TENANT;
  activity.id = randomUUID();
  activity.serviceUrl = serviceUrl;
  activity.locale = user.locale;
  activity.from = { ...activity.from, id: `29:${user.aadObjectId}`, aadObjectId: user.aadObjectId };
  activity.conversation = {
    ...activity.conversation,
    tenantId,
    id:
      activity.conversation.conversationType === 'personal'
        ? `a:${user.aadObjectId}`
        : activity.conversation.id,
  };
  activity.channelData = { ...activity.channelData, tenant: { id: tenantId } };
  activity.entities = (activity.entities ?? []).map((e: Envelope) =>
    e.type === 'clientInfo'
      ? { ...e, locale: user.locale, ...(user.timeZone ? { timezone: user.timeZone } : {}) }
      : e,
  );
  if (user.timeZone) activity.localTimezone = user.timeZone;
  return activity;
}

/** Activities exactly as Teams sends them (tests/fixtures/teams-activities), for one user. */
export function activitiesFor(user: TestUser, serviceUrl: string) {
  return {
    install: () => personalise(personalInstall, user, serviceUrl),
    installationUpdate: () => personalise(personalInstallationUpdate, user, serviceUrl),
    message: (text: string): Envelope => ({
      ...personalise(personalMessage, user, serviceUrl),
      text,
    }),
    execute: (verb: string, data: object) => {
      const activity = personalise(actionExecute, user, serviceUrl);
      activity.value = {
        action: { type: 'Action.Execute', title: verb, verb, data },
        trigger: 'manual',
      };
      return activity;
    },
    submit: (verb: string, data: object) => {
      const activity = personalise(actionSubmit, user, serviceUrl);
      activity.value = { verb, ...data };
      return activity;
    },
    /** The invoke Teams sends when the user accepts or declines a file consent card. */
    fileConsent: (action: 'accept' | 'decline', context: unknown, uploadInfo?: object) => {
      const activity = personalise(actionExecute, user, serviceUrl);
      activity.name = 'fileConsent/invoke';
      activity.value = {
        type: 'fileUpload',
        action,
        context,
        ...(action === 'accept' ? { uploadInfo } : {}),
      };
      return activity;
    },
    channelMessage: (text: string): Envelope => ({
      ...personalise(channelMention, user, serviceUrl),
      text: `<at>Brevet</at> ${text}`,
    }),
  };
}

/** Choices of the fixture lessons' quiz (tests/fixtures/content): q1 single choice, q2 true/false. */
export const FIXTURE_QUIZ = {
  right: { q1: 'b', q2: 'false' },
  wrong: { q1: 'a', q2: 'true' },
} as const;

/** The clicks of a fixture lesson's quiz, as Teams sends them: start, then both answers. */
export function quizClicks(
  send: ReturnType<typeof activitiesFor>,
  lessonId: string,
  answers: { q1: string; q2: string },
): Envelope[] {
  return [
    send.execute('quiz.start', { lessonId }),
    send.execute('quiz.answer', { lessonId, questionId: 'q1', choiceId: answers.q1 }),
    send.execute('quiz.answer', { lessonId, questionId: 'q2', choiceId: answers.q2 }),
  ];
}

/** The card of an Action.Execute invoke response body. */
export function invokeCard(body: any): Record<string, any> {
  if (body?.statusCode !== 200 || body?.type !== 'application/vnd.microsoft.card.adaptive')
    throw new Error(`not an adaptive card invoke response: ${JSON.stringify(body).slice(0, 300)}`);
  return body.value;
}

/** Every text of a card (TextBlocks, facts, action titles), flattened, to search in. */
export function cardText(card: unknown): string {
  const parts: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const obj = node as Record<string, unknown>;
      for (const key of ['text', 'title', 'value'])
        if (typeof obj[key] === 'string') parts.push(obj[key] as string);
      Object.values(obj).forEach(walk);
    }
  };
  walk(card);
  return parts.join('\n');
}

/** The Action.Execute actions of a card: verb, title and data. */
export function cardActions(
  card: unknown,
): { verb: string; title: string; data: Record<string, any> }[] {
  const found: { verb: string; title: string; data: Record<string, any> }[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const obj = node as Record<string, any>;
      if (obj.type === 'Action.Execute')
        found.push({ verb: obj.verb, title: obj.title, data: obj.data ?? {} });
      Object.entries(obj).forEach(([key, value]) => key !== 'fallback' && walk(value));
    }
  };
  walk(card);
  return found;
}
