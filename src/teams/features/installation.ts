import { renderLeadMenu } from '../../cards/unit-cards';
import { ActivityTypes } from 'botbuilder';
import { type Application, type TurnState } from '@microsoft/teams-ai';
import { renderWelcome } from '../../cards/learner-cards';
import { type BotDeps, fallbackLanguage, learnerOf, rememberConversation } from '../bot-deps';
import { sendCard } from '../card-replies';
import { teamOf } from '../team-context';
import { isPersonal } from '../turn-identity';

/**
 * Install events. Teams sends installationUpdate and conversationUpdate on a personal install:
 * the welcome goes out once, on the conversationUpdate that adds the bot.
 */
export function registerInstallation(app: Application<TurnState>, deps: BotDeps): void {
  app.conversationUpdate('membersAdded', async (context) => {
    const botAdded = (context.activity.membersAdded ?? []).some(
      (member) => member.id === context.activity.recipient?.id,
    );
    if (!botAdded) return;
    if (!isPersonal(context)) {
      const team = teamOf(context);
      if (team) await deps.units.saveTeam(team);
      await sendCard(context, renderLeadMenu(fallbackLanguage(context)));
      return;
    }
    const learner = await learnerOf(context, deps);
    await rememberConversation(context, deps, learner);
    await sendCard(context, renderWelcome(learner.language, deps.programme.passingScore));
  });

  app.activity(ActivityTypes.InstallationUpdate, async (context) => {
    if (!context.activity.action?.startsWith('add') || !isPersonal(context)) return;
    const learner = await learnerOf(context, deps);
    await rememberConversation(context, deps, learner);
  });
}
