import { Application, type TurnState } from '@microsoft/teams-ai';
import { type TeamsAdapter } from '@microsoft/teams-ai';
import { type BotDeps } from './bot-deps';
import { registerCardActions } from './features/card-actions';
import { registerFallbackHelp } from './features/fallback-help';
import { registerInstallation } from './features/installation';
import { registerLeadCommands } from './features/lead-commands';
import { registerLearnerCommands } from './features/learner-commands';
import {
  PERSONAL_DATA_FILE,
  personalDataFileKind,
  registerPersonalData,
} from './features/personal-data';
import { REPORT_FILE, reportFileKind } from './features/report-export';
import { registerFileConsent } from './file-consent';
import { registerTenantGuard } from './features/tenant-guard';

/**
 * The teams-ai Application with every feature's routes. No turn state is stored between turns
 * (no `storage`): everything Brevet keeps is in its own database, so any instance can serve any
 * turn.
 */
export function createBotApp(
  adapter: TeamsAdapter,
  botAppId: string,
  deps: BotDeps,
): Application<TurnState> {
  const app = new Application<TurnState>({
    adapter,
    botAppId,
    removeRecipientMention: true,
    // teams-ai 1.7 sends "typing" after 1 s of a slow turn (e.g. reading a big roster) whatever
    // startTypingTimer says; that is fine for users, and tests count message activities only.
    longRunningMessages: false,
  });
  registerTenantGuard(app, deps);
  registerInstallation(app, deps);
  // Before the card actions: its picker verbs must be matched ahead of the learner's catch-all.
  registerLeadCommands(app, deps);
  registerPersonalData(app, deps);
  registerFileConsent(app, deps, {
    [REPORT_FILE]: reportFileKind(deps),
    [PERSONAL_DATA_FILE]: personalDataFileKind(deps),
  });
  registerCardActions(app, deps);
  registerLearnerCommands(app, deps);
  // Last: the catch-all (teams-ai routes are first match wins).
  registerFallbackHelp(app, deps);
  return app;
}
