import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import { type AdaptiveCardJson } from '../cards/card-templates';

/** A card answer to an action: the card that replaces the clicked one, and any new messages. */
export interface CardReply {
  card: AdaptiveCardJson;
  /** Cards sent as new messages before the clicked card is replaced (a brevet, the next lesson). */
  followUps?: AdaptiveCardJson[];
}

export function cardActivity(card: AdaptiveCardJson) {
  return MessageFactory.attachment(CardFactory.adaptiveCard(card));
}

export async function sendCard(context: TurnContext, card: AdaptiveCardJson): Promise<void> {
  await context.sendActivity(cardActivity(card));
}

export async function sendFollowUps(context: TurnContext, reply: CardReply): Promise<void> {
  for (const card of reply.followUps ?? []) await sendCard(context, card);
}
