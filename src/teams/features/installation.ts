import { renderLeadMenu } from '../../cards/unit-cards';
import { ActivityTypes } from 'botbuilder';
import { type Application, type TurnState } from '@microsoft/teams-ai';
import { renderWelcome } from '../../cards/learner-cards';
import { type BotDeps, fallbackLanguage, learnerOf, rememberConversation } from '../bot-deps';
import { sendCard } from '../card-replies';
import { readRoster, teamOf } from '../team-context';
import { isPersonal } from '../turn-identity';

/** The Entra object ids of the people a conversationUpdate adds or removes. */
function memberKeys(accounts: { aadObjectId?: string }[] | undefined): string[] {
  return (accounts ?? []).flatMap((account) => (account.aadObjectId ? [account.aadObjectId] : []));
}

/**
 * Install events. Teams sends installationUpdate and conversationUpdate on a personal install:
 * the welcome goes out once, on the conversationUpdate that adds the bot.
 */
export function registerInstallation(app: Application<TurnState>, deps: BotDeps): void {
  app.conversationUpdate('membersAdded', async (context) => {
    const botAdded = (context.activity.membersAdded ?? []).some(
      (member) => member.id === context.activity.recipient?.id,
    );
    if (!botAdded) {
      // People joining a unit's team: its members, for the programme dashboard.
      const team = !isPersonal(context) ? teamOf(context) : undefined;
      if (team) await deps.units.membersJoined(team, memberKeys(context.activity.membersAdded));
      return;
    }
    if (!isPersonal(context)) {
      const team = teamOf(context);
      if (team) await deps.units.saveTeam(team);
      await sendCard(context, renderLeadMenu(fallbackLanguage(context)));
      if (team) {
        // Its members from the start (the dashboard's units); a roster Teams cannot give now is
        // read again by the lead's first assignment or report.
        await readRoster(context, team, deps).catch((error: unknown) =>
          deps.logger.warn({ err: error }, 'team roster could not be read at install'),
        );
      }
      return;
    }
    const learner = await learnerOf(context, deps);
    await rememberConversation(context, deps, learner);
    await sendCard(context, renderWelcome(learner.language, deps.programme.passingScore));
  });

  app.conversationUpdate('membersRemoved', async (context) => {
    const team = !isPersonal(context) ? teamOf(context) : undefined;
    if (team) await deps.units.membersLeft(team, memberKeys(context.activity.membersRemoved));
  });

  app.activity(ActivityTypes.InstallationUpdate, async (context) => {
    if (!context.activity.action?.startsWith('add') || !isPersonal(context)) return;
    const learner = await learnerOf(context, deps);
    await rememberConversation(context, deps, learner);
  });
}
