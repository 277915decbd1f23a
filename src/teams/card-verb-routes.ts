import { ActivityTypes, type TurnContext } from 'botbuilder';
import { type Application, type TurnState } from '@microsoft/teams-ai';
import { type BotDeps } from './bot-deps';
import { type CardReply, sendCard, sendFollowUps } from './card-replies';
import { ADAPTIVE_CARD_ACTION } from './features/card-invoke';
import { replyWithApologyOnFailure, withApology } from './turn-guard';

/** A click on a card button, the same whether it came as an Action.Execute or an Action.Submit. */
export interface CardClick<TVerb extends string = string> {
  verb: TVerb;
  /** The button's data (an Action.Submit's without its `verb`): to be validated, never trusted. */
  data: unknown;
}

/** The buttons of one feature: the verbs it answers, its answer, how a Submit click is answered. */
export interface CardVerbRoute<TVerb extends string, TReply extends CardReply> {
  /** The verbs answered, or `'any'`: every verb (the learner's card actions, registered last). */
  verbs: readonly TVerb[] | 'any';
  /** The card that replaces the clicked one, and any new messages to send before it. */
  answer(context: TurnContext, click: CardClick<TVerb>): Promise<TReply>;
  /**
   * How an Action.Submit click is answered (clients that render cards 1.2). By default the
   * follow-ups, then the card, as new messages.
   */
  replyToSubmit?(context: TurnContext, reply: TReply): Promise<void>;
}

/** An Action.Execute click: the `adaptiveCard/action` invoke of universal actions. */
export function isActionExecute(context: TurnContext): boolean {
  const activity = context.activity;
  return (
    activity.type === ActivityTypes.Invoke &&
    activity.name === ADAPTIVE_CARD_ACTION &&
    activity.value?.action?.type === 'Action.Execute'
  );
}

/**
 * The verb of an Action.Submit click: a message without text whose value carries `verb` (the
 * Action.Execute buttons' `fallback`). Our selector, not teams-ai's string matching: that one
 * reads `value.verb` without a null check, so a message with `"value": null` would fail the turn.
 */
function submittedVerb(context: TurnContext): string | undefined {
  const activity = context.activity;
  // No text at all: teams-ai's actionSubmit route refuses a message with text.
  if (activity.type !== ActivityTypes.Message || activity.text) return undefined;
  const value: unknown = activity.value;
  if (typeof value !== 'object' || value === null) return undefined;
  const verb = (value as { verb?: unknown }).verb;
  return typeof verb === 'string' ? verb : undefined;
}

async function sendReply(context: TurnContext, reply: CardReply): Promise<void> {
  await sendFollowUps(context, reply);
  await sendCard(context, reply.card);
}

/**
 * Registers a feature's card verbs once for both kinds of click: teams-ai's
 * `adaptiveCards.actionExecute` answers an Action.Execute with the card that replaces the clicked
 * one (for the clicker only), and `adaptiveCards.actionSubmit` the Action.Submit fallback of
 * the same button. A failure gets the apology card, either way.
 */
export function registerCardVerbs<TVerb extends string, TReply extends CardReply>(
  app: Application<TurnState>,
  deps: Pick<BotDeps, 'logger'>,
  route: CardVerbRoute<TVerb, TReply>,
): void {
  const answers = (verb: unknown): boolean =>
    route.verbs === 'any' || (route.verbs as readonly unknown[]).includes(verb);
  const replyToSubmit = route.replyToSubmit ?? sendReply;

  app.adaptiveCards.actionExecute(
    (context) =>
      Promise.resolve(isActionExecute(context) && answers(context.activity.value?.action?.verb)),
    async (context, _state, data) =>
      withApology(
        context,
        deps,
        async () => {
          // A click without a verb reaches only an `'any'` route, as the verb ''.
          const verb = String(context.activity.value?.action?.verb ?? '') as TVerb;
          const reply = await route.answer(context, { verb, data });
          await sendFollowUps(context, reply);
          return reply.card;
        },
        async (apology) => apology,
      ),
  );

  app.adaptiveCards.actionSubmit(
    (context) => {
      const verb = submittedVerb(context);
      return Promise.resolve(verb !== undefined && answers(verb));
    },
    async (context, _state, value) =>
      replyWithApologyOnFailure(context, deps, async () => {
        const { verb, ...data } = value as { verb: TVerb };
        await replyToSubmit(context, await route.answer(context, { verb, data }));
      }),
  );
}
