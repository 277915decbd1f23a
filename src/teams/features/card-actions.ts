import { ActivityTypes, type TurnContext } from 'botbuilder';
import { type Application, type TurnState } from '@microsoft/teams-ai';
import { renderRefusal } from '../../cards/learner-cards';
import { type BotDeps, fallbackLanguage, learnerOf } from '../bot-deps';
import { cardActivity, sendFollowUps } from '../card-replies';
import { withApology, replyWithApologyOnFailure } from '../turn-guard';
import { isPersonal } from '../turn-identity';
import { ADAPTIVE_CARD_ACTION, adaptiveCardInvokeResponse } from './card-invoke';
import { handleCardAction } from './lesson-flow';

function isActionExecute(context: TurnContext): boolean {
  const activity = context.activity;
  return (
    activity.type === ActivityTypes.Invoke &&
    activity.name === ADAPTIVE_CARD_ACTION &&
    activity.value?.action?.type === 'Action.Execute'
  );
}

/** An Action.Submit click (the fallback of our Action.Execute buttons on Teams mobile 1.2). */
function isActionSubmit(context: TurnContext): boolean {
  const activity = context.activity;
  return (
    activity.type === ActivityTypes.Message &&
    !activity.text?.trim() &&
    typeof activity.value === 'object' &&
    activity.value !== null &&
    typeof (activity.value as { verb?: unknown }).verb === 'string'
  );
}

/**
 * Card buttons. Action.Execute clicks are answered with the card that replaces the clicked one
 * (REPLACE_FOR_INTERACTOR: only the clicker sees it); Action.Submit clicks update the card in
 * place in a 1:1 chat, and in a channel send the clicker's card to their 1:1 chat. Both run the
 * same handler.
 */
export function registerCardActions(app: Application<TurnState>, deps: BotDeps): void {
  // One route for every verb: an unknown verb (an old card) still gets a clear answer.
  app.adaptiveCards.actionExecute(
    (context) => Promise.resolve(isActionExecute(context)),
    async (context, _state, data) =>
      withApology(
        context,
        deps,
        async () => {
          const learner = await learnerOf(context, deps);
          const verb = String(context.activity.value?.action?.verb ?? '');
          const reply = await handleCardAction(deps, learner, verb, data, {
            inChannel: !isPersonal(context),
          });
          await sendFollowUps(context, reply);
          return reply.card;
        },
        async (apology) => apology,
      ),
  );

  // A malformed adaptiveCard/action invoke (no Action.Execute inside) is answered, not left at 501.
  app.addRoute(
    (context) =>
      Promise.resolve(
        context.activity.type === ActivityTypes.Invoke &&
          context.activity.name === ADAPTIVE_CARD_ACTION &&
          !isActionExecute(context),
      ),
    async (context) => {
      await context.sendActivity(
        adaptiveCardInvokeResponse(renderRefusal(fallbackLanguage(context), 'staleCard')),
      );
    },
    true,
  );

  app.message(
    (context) => Promise.resolve(isActionSubmit(context)),
    async (context) =>
      replyWithApologyOnFailure(context, deps, async () => {
        const learner = await learnerOf(context, deps);
        const { verb, ...data } = context.activity.value as { verb: string };
        const inChannel = !isPersonal(context);
        const reply = await handleCardAction(deps, learner, verb, data, { inChannel });
        if (inChannel) {
          // The channel card is everyone's: it is never replaced with one learner's answer, and
          // nothing of theirs is posted there. Their card goes to their 1:1 chat.
          const from = context.activity.from;
          await deps.units.sendPrivately({
            tenantId: learner.tenantId,
            serviceUrl: context.activity.serviceUrl,
            recipient: { id: from.id, userKey: learner.userKey },
            language: learner.language,
            card: reply.card,
          });
          deps.delivery.poke();
          return;
        }
        await sendFollowUps(context, reply);
        const activity = cardActivity(reply.card);
        const replyToId = context.activity.replyToId;
        if (replyToId) {
          try {
            await context.updateActivity({ ...activity, id: replyToId });
            return;
          } catch (error) {
            deps.logger.warn({ err: error }, 'card update failed; sending a new card');
          }
        }
        await context.sendActivity(activity);
      }),
  );
}
