import { renderLeadMenu } from '../../cards/unit-cards';
import { ActivityTypes } from 'botbuilder';
import { type Application, type TurnState } from '@microsoft/teams-ai';
import { renderHelp } from '../../cards/learner-cards';
import { type BotDeps, fallbackLanguage, learnerOf } from '../bot-deps';
import { sendCard } from '../card-replies';
import { replyWithApologyOnFailure } from '../turn-guard';
import { isPersonal } from '../turn-identity';

/**
 * Any message no other route took gets the help card: never silence, never an error text.
 * Registered last, because teams-ai routes are first match wins.
 */
export function registerFallbackHelp(app: Application<TurnState>, deps: BotDeps): void {
  app.activity(ActivityTypes.Message, async (context) =>
    replyWithApologyOnFailure(context, deps, async () => {
      if (!isPersonal(context)) {
        await sendCard(context, renderLeadMenu(fallbackLanguage(context)));
        return;
      }
      const learner = await learnerOf(context, deps);
      await sendCard(context, renderHelp(learner.language, { notUnderstood: true }));
    }),
  );
}
