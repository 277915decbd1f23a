import { type TurnContext } from 'botbuilder';
import { renderApology } from '../cards/learner-cards';
import { type AdaptiveCardJson } from '../cards/card-templates';
import { type BotDeps, fallbackLanguage } from './bot-deps';
import { sendCard } from './card-replies';

/**
 * Runs a turn's work; if it fails (database down, connector error, bug) the learner gets an
 * apology card instead of silence or a stack trace, the error is logged without message text,
 * and the process keeps serving.
 */
export async function withApology<T>(
  context: TurnContext,
  deps: Pick<BotDeps, 'logger'>,
  work: () => Promise<T>,
  onFailure: (apology: AdaptiveCardJson) => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    deps.logger.error(
      { err: error, activityType: context.activity.type, activityName: context.activity.name },
      'turn failed',
    );
    return onFailure(renderApology(fallbackLanguage(context)));
  }
}

/** The same for message turns: the apology is sent as a message (if even that fails, logged). */
export async function replyWithApologyOnFailure(
  context: TurnContext,
  deps: Pick<BotDeps, 'logger'>,
  work: () => Promise<void>,
): Promise<void> {
  await withApology(context, deps, work, async (apology) => {
    try {
      await sendCard(context, apology);
    } catch (error) {
      deps.logger.error({ err: error }, 'apology could not be sent');
    }
  });
}
