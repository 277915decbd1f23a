import { ActivityTypes, type TurnContext } from 'botbuilder';
import { type Application, type TurnState } from '@microsoft/teams-ai';
import { type Command, parseCommand, parseLanguageArgument } from '../../i18n/commands';
import {
  renderGlossary,
  renderHelp,
  renderLanguageChanged,
  renderLanguageUnknown,
  renderLessons,
  renderPrivacy,
  renderProgress,
  renderRemindSetting,
} from '../../cards/learner-cards';
import { parseRemindArgument } from '../../reminders/reminder-service';
import { type AdaptiveCardJson } from '../../cards/card-templates';
import { renderReview } from '../../cards/review-cards';
import { type LearnerRecord } from '../../learning/learning-store';
import { type BotDeps, learnerOf } from '../bot-deps';
import { sendCard } from '../card-replies';
import { replyWithApologyOnFailure } from '../turn-guard';
import { isPersonal } from '../turn-identity';
import { renderNextStep } from './lesson-flow';

type CommandHandler = (
  deps: BotDeps,
  learner: LearnerRecord,
  argument: string,
) => Promise<AdaptiveCardJson>;

const COMMAND_HANDLERS: Record<Command, CommandHandler> = {
  async next(deps, learner) {
    return renderNextStep(deps, learner, await deps.learning.next(learner));
  },
  async progress(deps, learner) {
    const [progress, reviewDue, streak] = await Promise.all([
      deps.learning.progress(learner),
      deps.reviews.countDue(learner),
      deps.reminders.streak(learner),
    ]);
    return renderProgress(learner.language, deps.programme, progress, reviewDue, streak);
  },
  async review(deps, learner) {
    return renderReview(learner.language, await deps.reviews.next(learner));
  },
  async remind(deps, learner, argument) {
    const setting = parseRemindArgument(argument);
    if (setting.kind === 'invalid') return renderRemindSetting(learner.language, 'invalid', false);
    await deps.reminders.apply(learner.id, setting);
    return renderRemindSetting(
      learner.language,
      await deps.reminders.settings(learner.id),
      setting.kind !== 'show',
    );
  },
  async lessons(deps, learner) {
    return renderLessons(learner.language, await deps.learning.progress(learner));
  },
  async glossary(deps, learner) {
    return renderGlossary(learner.language, deps.programme);
  },
  async language(deps, learner, argument) {
    const language = parseLanguageArgument(argument);
    if (!language) return renderLanguageUnknown(learner.language);
    const updated = await deps.learning.setLanguage(learner, language);
    return renderLanguageChanged(updated.language);
  },
  async privacy(_deps, learner) {
    return renderPrivacy(learner.language);
  },
  async help(_deps, learner) {
    return renderHelp(learner.language);
  },
};

function commandSelector(command: Command) {
  return (context: TurnContext) =>
    Promise.resolve(
      context.activity.type === ActivityTypes.Message &&
        isPersonal(context) &&
        parseCommand(context.activity.text)?.command === command,
    );
}

/** The learner's typed commands in a 1:1 chat, in any of the four languages. */
export function registerLearnerCommands(app: Application<TurnState>, deps: BotDeps): void {
  for (const [command, handler] of Object.entries(COMMAND_HANDLERS) as [
    Command,
    CommandHandler,
  ][]) {
    app.message(commandSelector(command), async (context) =>
      replyWithApologyOnFailure(context, deps, async () => {
        const learner = await learnerOf(context, deps);
        const argument = parseCommand(context.activity.text)?.argument ?? '';
        await sendCard(context, await handler(deps, learner, argument));
      }),
    );
  }
}
