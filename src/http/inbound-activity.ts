import { z } from 'zod';
import { type EndpointPolicy, isBotFrameworkServiceUrl, isHttpUrl } from './trusted-endpoints';

/** Why an activity is refused before the adapter sees it: the HTTP answer and a fixed reason. */
export interface ActivityRefusal {
  status: 400 | 403;
  /** A fixed word for logs and metrics (never the payload). */
  reason: 'malformed' | 'service_url' | 'channel';
  body: { error: string; message: string };
}

const text = (required: boolean) => {
  const base = z.string({ required_error: 'is missing', invalid_type_error: 'must be a string' });
  return required ? base.min(1, 'is missing') : base.optional();
};
const object = <T extends z.ZodRawShape>(shape: T) =>
  z.object(shape, { required_error: 'is missing', invalid_type_error: 'must be an object' });
const account = (required: boolean) => {
  const shape = object({
    id: text(true),
    aadObjectId: text(false),
    name: text(false),
  }).passthrough();
  return required ? shape : shape.optional();
};
const list = <T extends z.ZodTypeAny>(item: T) =>
  z
    .array(item, { invalid_type_error: 'must be an array' })
    .max(100, 'has too many items')
    .optional();

/**
 * The envelope Brevet relies on, with the types botbuilder and the features assume (anything
 * else in an activity passes through untouched). Wrong types here would otherwise surface as
 * exceptions deep inside a turn.
 */
const envelope = object({
  type: text(true).pipe(z.string().max(64, 'is too long')),
  serviceUrl: text(true),
  conversation: object({
    id: text(true),
    tenantId: text(false),
    conversationType: text(false),
  }).passthrough(),
  from: account(true),
  channelId: text(true),
  id: text(false),
  recipient: account(false),
  text: text(false),
  locale: text(false),
  replyToId: text(false),
  timestamp: text(false),
  localTimestamp: text(false),
  localTimezone: text(false),
  entities: list(object({ type: text(true) }).passthrough()),
  attachments: list(object({ contentType: text(true) }).passthrough()),
  membersAdded: list(account(true)),
  membersRemoved: list(account(true)),
  channelData: object({}).passthrough().optional(),
}).passthrough();

/** The one channel Brevet serves: Teams. Web Chat or Direct Line could claim any identity. */
export const TEAMS_CHANNEL_ID = 'msteams';

/**
 * Checks an activity's envelope before authentication and before any turn: undefined when it may
 * go on, otherwise the answer (400 for a malformed activity or a serviceUrl Brevet would not send
 * its token to, 403 for another channel than Teams).
 */
export function refuseActivity(body: unknown, policy: EndpointPolicy): ActivityRefusal | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return malformed('the body must be a JSON activity');
  const parsed = envelope.safeParse(body);
  if (!parsed.success) {
    // The first problem in the order of the envelope's fields (type, channelId, serviceUrl, …).
    const issue = parsed.error.issues[0]!;
    return malformed(`activity.${issue.path.join('.')} ${issue.message}`);
  }
  const activity = parsed.data;
  if (!isHttpUrl(activity.serviceUrl))
    return {
      status: 400,
      reason: 'service_url',
      body: { error: 'invalid_activity', message: 'activity.serviceUrl must be an http(s) URL' },
    };
  if (!isBotFrameworkServiceUrl(activity.serviceUrl, policy))
    return {
      status: 400,
      reason: 'service_url',
      body: {
        error: 'invalid_activity',
        message: 'activity.serviceUrl is not a Bot Framework service URL',
      },
    };
  if (activity.channelId !== TEAMS_CHANNEL_ID)
    return {
      status: 403,
      reason: 'channel',
      body: { error: 'channel_not_served', message: 'Brevet serves Microsoft Teams only' },
    };
  return undefined;
}

function malformed(message: string): ActivityRefusal {
  return { status: 400, reason: 'malformed', body: { error: 'invalid_activity', message } };
}
