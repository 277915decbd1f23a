import { TurnContext } from 'botbuilder';
import { type LearnerIdentity } from '../learning/learning-service';
import { type ConversationAddress } from '../learning/learning-store';

/** What the authenticated activity says about where it comes from. */
export interface TurnOrigin {
  identity: LearnerIdentity | undefined;
  tenantId: string | undefined;
  conversationType: string | undefined;
  locale: string | undefined;
  /** The sender's IANA time zone as their Teams client reports it (not validated). */
  timeZone: string | undefined;
}

interface ClientInfoEntity {
  type?: string;
  locale?: string;
  timezone?: string;
}

/**
 * Reads the sender from the activity envelope (authenticated by the adapter): tenant from
 * channelData (or the conversation), user from the Entra object id, falling back to the channel
 * user id. Never from card data.
 */
export function turnOrigin(context: TurnContext): TurnOrigin {
  const activity = context.activity;
  const channelData = (activity.channelData ?? {}) as { tenant?: { id?: string } };
  const tenantId = (channelData.tenant?.id ?? activity.conversation?.tenantId)?.toLowerCase();
  const clientInfo = (activity.entities ?? []).find(
    (entity: ClientInfoEntity) => entity.type === 'clientInfo',
  ) as ClientInfoEntity | undefined;
  const locale = activity.locale ?? clientInfo?.locale;
  const timeZone = activity.localTimezone ?? clientInfo?.timezone;
  // Lower case, as the tab's SSO token `oid` is compared with it.
  const userKey = activity.from?.aadObjectId?.toLowerCase() ?? activity.from?.id;
  return {
    // Outside Teams (Bot Framework Emulator) there is no tenant; ALLOWED_TENANT_IDS refuses those.
    identity: userKey ? { tenantId: tenantId ?? 'none', userKey, locale } : undefined,
    tenantId,
    conversationType: activity.conversation?.conversationType,
    locale,
    timeZone: typeof timeZone === 'string' && timeZone.length <= 64 ? timeZone : undefined,
  };
}

/**
 * Where a proactive message reaches this turn's sender again: the fields of the Bot Framework
 * conversation reference that delivery uses. Undefined when the activity lacks them.
 */
export function conversationAddress(context: TurnContext): ConversationAddress | undefined {
  const reference = TurnContext.getConversationReference(context.activity);
  if (!reference.serviceUrl || !reference.conversation?.id) return undefined;
  return {
    serviceUrl: reference.serviceUrl,
    conversationId: reference.conversation.id,
    recipientId: reference.user?.id ?? null,
  };
}

export function isPersonal(context: TurnContext): boolean {
  const type = context.activity.conversation?.conversationType;
  return type === undefined || type === 'personal';
}
