import { ActivityTypes, type TurnContext } from 'botbuilder';
import { type Application, type TurnState } from '@microsoft/teams-ai';
import { renderTenantRefusal } from '../../cards/learner-cards';
import { type BotDeps, fallbackLanguage } from '../bot-deps';
import { cardActivity } from '../card-replies';
import { turnOrigin } from '../turn-identity';
import { ADAPTIVE_CARD_ACTION, adaptiveCardInvokeResponse } from './card-invoke';

/** A message, or the install that adds the bot (answered once: installationUpdate is not). */
function expectsAnswer(context: TurnContext): boolean {
  const activity = context.activity;
  if (activity.type === ActivityTypes.Message) return true;
  if (activity.type === ActivityTypes.ConversationUpdate)
    return (activity.membersAdded ?? []).some((m) => m.id === activity.recipient?.id);
  return false;
}

/**
 * With ALLOWED_TENANT_IDS set, an activity from any other tenant gets a polite refusal and
 * nothing else: the turn stops before any learner is looked up or stored.
 */
export function registerTenantGuard(app: Application<TurnState>, deps: BotDeps): void {
  if (deps.allowedTenantIds.length === 0) return;
  app.turn('beforeTurn', async (context) => {
    const { tenantId } = turnOrigin(context);
    if (tenantId && deps.allowedTenantIds.includes(tenantId)) return true;
    deps.logger.warn({ activityType: context.activity.type }, 'activity from a tenant not allowed');
    const card = renderTenantRefusal(fallbackLanguage(context));
    if (context.activity.type === ActivityTypes.Invoke) {
      if (context.activity.name === ADAPTIVE_CARD_ACTION)
        await context.sendActivity(adaptiveCardInvokeResponse(card));
    } else if (expectsAnswer(context)) {
      await context.sendActivity(cardActivity(card));
    }
    return false;
  });
}
