import { ActivityTypes, type TurnContext } from 'botbuilder';
import { type Application, type TurnState } from '@microsoft/teams-ai';
import { renderRefusal } from '../../cards/learner-cards';
import { type LearnerRecord } from '../../learning/learning-store';
import { type BotDeps, fallbackLanguage, learnerOf } from '../bot-deps';
import { type CardReply, cardActivity, sendFollowUps } from '../card-replies';
import { isActionExecute, registerCardVerbs } from '../card-verb-routes';
import { isPersonal } from '../turn-identity';
import { ADAPTIVE_CARD_ACTION, adaptiveCardInvokeResponse } from './card-invoke';
import { handleCardAction } from './lesson-flow';

/** A learner's answer to a click, with the learner it is for. */
interface LearnerReply extends CardReply {
  learner: LearnerRecord;
}

/**
 * A Submit click's answer: in a 1:1 chat the clicked card is updated in place; in a channel the
 * clicker's card goes to their 1:1 chat.
 */
async function replyToSubmit(
  context: TurnContext,
  deps: BotDeps,
  { learner, ...reply }: LearnerReply,
): Promise<void> {
  if (!isPersonal(context)) {
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
}

/**
 * Card buttons. Action.Execute clicks are answered with the card that replaces the clicked one
 * (REPLACE_FOR_INTERACTOR: only the clicker sees it); Action.Submit clicks update the card in
 * place in a 1:1 chat, and in a channel send the clicker's card to their 1:1 chat. Both run the
 * same handler.
 */
export function registerCardActions(app: Application<TurnState>, deps: BotDeps): void {
  // Every verb: an unknown verb (an old card) still gets a clear answer.
  registerCardVerbs(app, deps, {
    verbs: 'any',
    async answer(context, { verb, data }) {
      const learner = await learnerOf(context, deps);
      const reply = await handleCardAction(deps, learner, verb, data, {
        inChannel: !isPersonal(context),
      });
      return { ...reply, learner };
    },
    replyToSubmit: (context, reply) => replyToSubmit(context, deps, reply),
  });

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
}
