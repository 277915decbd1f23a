import { ActivityTypes, type Activity } from 'botbuilder';
import { type AdaptiveCardJson } from '../../cards/card-templates';

/**
 * The invoke name of an Action.Execute click (Universal Actions for Adaptive Cards:
 * https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/work-with-universal-actions-for-adaptive-cards).
 */
export const ADAPTIVE_CARD_ACTION = 'adaptiveCard/action';

/** An invoke response that replaces the clicked card with `card` (for the clicker). */
export function adaptiveCardInvokeResponse(card: AdaptiveCardJson): Partial<Activity> {
  return {
    type: ActivityTypes.InvokeResponse,
    value: {
      status: 200,
      body: { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card },
    },
  };
}
