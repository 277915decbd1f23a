import { type Programme } from '../curriculum/programme';
import { languageFromLocale, type Language } from '../i18n/languages';
import { type LearnerRecord } from '../learning/learning-store';
import { type LearningService } from '../learning/learning-service';
import { type EndpointPolicy } from '../http/trusted-endpoints';
import { type Logger } from '../logger';
import { type PersonalDataService } from '../privacy/personal-data';
import { type ReminderService } from '../reminders/reminder-service';
import { type ReviewService } from '../review/review-service';
import { isKnownTimeZone } from '../time/zones';
import { type UnitService } from '../units/unit-service';
import { type TurnContext } from 'botbuilder';
import { conversationAddress, type TurnOrigin, turnOrigin } from './turn-identity';

/** What the Teams features need: domain services and settings, built by the composition root. */
export interface BotDeps {
  learning: LearningService;
  programme: Programme;
  logger: Logger;
  /** Lower-case tenant ids; empty means every tenant. */
  allowedTenantIds: readonly string[];
  units: UnitService;
  reviews: ReviewService;
  reminders: ReminderService;
  /** The learner's own data: a copy, and erasure. */
  personalData: PersonalDataService;
  /** The app's clock (tests move it). */
  clock: () => Date;
  /** Wakes the delivery worker after something was enqueued. */
  delivery: { poke(): void };
  /** Where exported files may be uploaded (OneDrive/SharePoint; loopback in tests). */
  endpointPolicy: EndpointPolicy;
}

/** Thrown when an activity carries no sender: it cannot be answered as a learner. */
export class MissingSenderError extends Error {}

/** The learner behind the turn, created on first contact (with their 1:1 chat's address). */
export async function learnerOf(context: TurnContext, deps: BotDeps): Promise<LearnerRecord> {
  const origin = turnOrigin(context);
  if (!origin.identity) throw new MissingSenderError('activity has no sender');
  const known = await deps.learning.findLearner(origin.identity);
  if (known) return followClient(deps, known, origin);
  const learner = await deps.learning.learner(origin.identity);
  if (origin.conversationType === 'personal') await rememberConversation(context, deps, learner);
  deps.logger.info({ learnerId: learner.id, language: learner.language }, 'learner created');
  return followClient(deps, learner, origin);
}

/** Keeps where this turn's 1:1 chat is, so that lessons and reminders can reach the learner. */
export async function rememberConversation(
  context: TurnContext,
  deps: BotDeps,
  learner: LearnerRecord,
): Promise<void> {
  const address = conversationAddress(context);
  if (address) await deps.learning.saveConversationAddress(learner, address);
}

/**
 * Keeps the learner in step with their Teams client: its time zone (reminders, streak days), and
 * its language while the one stored is only the assigning lead's guess.
 */
export async function followClient(
  deps: BotDeps,
  learner: LearnerRecord,
  origin: TurnOrigin,
): Promise<LearnerRecord> {
  let current = await deps.learning.confirmLanguage(learner, origin.locale);
  const zone = origin.timeZone;
  if (zone && zone !== current.timeZone && isKnownTimeZone(zone))
    current = await deps.learning.setTimeZone(current, zone);
  return current;
}

/** The language to answer in when the learner cannot be loaded (the activity's locale). */
export function fallbackLanguage(context: TurnContext): Language {
  return languageFromLocale(turnOrigin(context).locale);
}
