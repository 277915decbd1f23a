import { ActivityTypes, TeamsInfo, type TurnContext } from 'botbuilder';
import { type Application, type TurnState } from '@microsoft/teams-ai';
import { type AdaptiveCardJson } from '../../cards/card-templates';
import { z } from 'zod';
import { LEAD_MENU_COMMANDS, LEAD_VERBS, type LeadMenuCommand } from '../../cards/card-verbs';
import { renderRefusal } from '../../cards/learner-cards';
import {
  renderDeliveries,
  renderLeadNotice,
  renderLeaderboard,
  renderLeadPicker,
  renderReport,
  renderSchedules,
} from '../../cards/unit-cards';
import { localParts } from '../../reminders/reminder-policy';
import { formatDate, type Language } from '../../i18n/languages';
import { type ParsedLeadCommand, parseLeadCommand } from '../../i18n/lead-commands';
import { translate } from '../../i18n/messages';
import { type Member, type StoredTeam } from '../../units/unit-store';
import { type BotDeps, fallbackLanguage, followClient } from '../bot-deps';
import { sendCard } from '../card-replies';
import { readRoster, teamOf } from '../team-context';
import { replyWithApologyOnFailure, withApology } from '../turn-guard';
import { isPersonal, turnOrigin } from '../turn-identity';
import { offerReportExport } from './report-export';

interface LeadTurn {
  context: TurnContext;
  deps: BotDeps;
  /** The team with its stored settings (time zone, leaderboard). */
  team: StoredTeam;
  userKey: string;
  language: Language;
  /** The answer is a message the whole channel sees (typed, or a 1.2 client's Submit). */
  public: boolean;
}

/** The person a `lead add|remove` names: an @mention other than the bot, or an e-mail/UPN. */
/** An Entra object id (a GUID). */
const OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function targetMember(turn: LeadTurn, target: string) {
  const { context } = turn;
  const mention = (context.activity.entities ?? []).find(
    (entity) =>
      entity.type === 'mention' && entity.mentioned?.id !== context.activity.recipient?.id,
  ) as { mentioned?: { id?: string } } | undefined;
  const id = mention?.mentioned?.id ?? target.trim();
  if (!id) return undefined;
  try {
    const member = await TeamsInfo.getTeamMember(context, turn.team.teamId, id);
    return member.aadObjectId
      ? { aadObjectId: member.aadObjectId, name: member.name ?? id }
      : undefined;
  } catch {
    return undefined;
  }
}

async function lessonProblem(
  turn: LeadTurn,
  lessonId: string | undefined,
): Promise<AdaptiveCardJson | undefined> {
  const check = turn.deps.units.checkLesson(lessonId ?? '');
  if (check.kind === 'unknownLesson')
    return renderLeadNotice(
      turn.language,
      'lead.unknownLesson',
      { lesson: lessonId ?? '' },
      'attention',
    );
  if (check.kind === 'phaseNotOpen')
    return renderLeadNotice(
      turn.language,
      'lead.phaseNotOpen',
      { lesson: lessonId ?? '', date: formatDate(turn.language, check.opensAt) },
      'attention',
    );
  return undefined;
}

/** Works on the team's roster; if Teams cannot give it, says so and sends nothing. */
async function withRoster(
  turn: LeadTurn,
  use: (members: Member[]) => Promise<AdaptiveCardJson>,
): Promise<AdaptiveCardJson> {
  let members: Member[];
  try {
    members = await readRoster(turn.context, turn.team, turn.deps);
  } catch (error) {
    turn.deps.logger.error({ err: error }, 'team roster could not be read');
    return renderLeadNotice(turn.language, 'lead.rosterFailed', {}, 'attention');
  }
  return use(members);
}

function picker(turn: LeadTurn): AdaptiveCardJson {
  const now = turn.deps.clock();
  const zone = turn.team.timeZone;
  return renderLeadPicker(
    turn.language,
    turn.deps.programme,
    now,
    localParts(now, zone).date,
    zone,
  );
}

/** The picker card's buttons, as the typed command they stand for. */
const PICKED = z.object({
  lessonId: z.string().trim().min(1).max(64),
  action: z.enum(['push', 'assign']).optional(),
  date: z.string().max(10).optional(),
  time: z.string().max(5).optional(),
});

const MENU = z.object({ command: z.enum(LEAD_MENU_COMMANDS) });
const CANCEL = z.object({ scheduleId: z.string().trim().min(1).max(16) });

/** The lead menu's buttons, as the typed command each stands for. */
const MENU_COMMANDS: Record<LeadMenuCommand, ParsedLeadCommand> = {
  picker: { command: 'push', lessonId: undefined },
  scheduled: { command: 'scheduled' },
  report: { command: 'report', csv: false },
  deliveries: { command: 'deliveries' },
  leaderboard: { command: 'leaderboard', enabled: undefined },
};

function pickedCommand(verb: string, data: unknown): ParsedLeadCommand | undefined {
  if (verb === LEAD_VERBS.exportReport) return { command: 'report', csv: true };
  if (verb === LEAD_VERBS.menu) {
    const menu = MENU.safeParse(data);
    return menu.success ? MENU_COMMANDS[menu.data.command] : undefined;
  }
  if (verb === LEAD_VERBS.cancel) {
    const cancel = CANCEL.safeParse(data);
    return cancel.success ? { command: 'cancel', scheduleId: cancel.data.scheduleId } : undefined;
  }
  const parsed = PICKED.safeParse(data);
  if (!parsed.success) return undefined;
  const { lessonId, action, date, time } = parsed.data;
  if (verb === LEAD_VERBS.push) return { command: 'push', lessonId };
  if (verb === LEAD_VERBS.assign) return { command: 'assign', lessonId };
  if (verb === LEAD_VERBS.schedule && action)
    return { command: 'schedule', action, lessonId, localTime: `${date ?? ''} ${time ?? ''}` };
  return undefined;
}

function isLeadVerb(verb: unknown): boolean {
  return (Object.values(LEAD_VERBS) as unknown[]).includes(verb);
}

/**
 * Wakes the delivery worker once the lead's answer has gone out, so that the answer ("assignment
 * started") comes before the first messages it announces. (Best effort: an idle worker's own poll
 * can still come first.)
 */
function pokeAfterReply(context: TurnContext, deps: BotDeps): void {
  let poked = false;
  context.onSendActivities(async (_context, activities, next) => {
    const result = await next();
    if (!poked) {
      poked = true;
      deps.delivery.poke();
    }
    return result;
  });
}

/** Who asks, in which team and language; undefined outside a team. */
async function leadTurn(context: TurnContext, deps: BotDeps): Promise<LeadTurn | undefined> {
  const team = teamOf(context);
  if (!team) return undefined;
  const origin = turnOrigin(context);
  const found = origin.identity ? await deps.learning.findLearner(origin.identity) : undefined;
  const known = found && (await followClient(deps, found, origin));
  return {
    context,
    deps,
    team: await deps.units.saveTeam(team),
    userKey: origin.identity?.userKey ?? '',
    language: known?.language ?? fallbackLanguage(context),
    // Action.Execute answers replace the card for the clicker only; messages are everyone's.
    public: context.activity.type === ActivityTypes.Message,
  };
}

/** Naming leads and turning the leaderboard on or off are the training office's (admins'). */
function adminOnly(command: ParsedLeadCommand): boolean {
  return (
    command.command === 'lead' ||
    (command.command === 'leaderboard' && command.enabled !== undefined)
  );
}

/** Looking at the leaderboard (where it is on) is for every member of the team. */
function openToAll(command: ParsedLeadCommand): boolean {
  return command.command === 'leaderboard' && command.enabled === undefined;
}

/** Runs a lead command after checking the sender's role on the server; refusals send nothing. */
async function runChecked(turn: LeadTurn, command: ParsedLeadCommand): Promise<AdaptiveCardJson> {
  const role = await turn.deps.units.roleOf(turn.team, turn.userKey);
  const allowed = adminOnly(command) ? role === 'admin' : role !== 'member' || openToAll(command);
  if (!allowed) {
    turn.deps.logger.info({ command: command.command }, 'lead command refused: not a lead');
    return renderLeadNotice(turn.language, 'lead.notAllowed', {}, 'attention');
  }
  return run(turn, command);
}

async function run(turn: LeadTurn, command: ParsedLeadCommand): Promise<AdaptiveCardJson> {
  const { deps, team, language } = turn;
  const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) =>
    translate(language, key, params);
  switch (command.command) {
    case 'push': {
      if (!command.lessonId) return picker(turn);
      const problem = await lessonProblem(turn, command.lessonId);
      if (problem) return problem;
      await deps.units.push(team, command.lessonId!, language);
      return renderLeadNotice(language, 'lead.pushQueued', { lesson: command.lessonId! }, 'good');
    }
    case 'assign': {
      if (!command.lessonId) return picker(turn);
      const problem = await lessonProblem(turn, command.lessonId);
      if (problem) return problem;
      return withRoster(turn, async (members) => {
        const { total } = await deps.units.assign(
          team,
          command.lessonId!,
          turn.userKey,
          language,
          members,
        );
        deps.logger.info({ teamMembers: total, lessonId: command.lessonId }, 'assignment enqueued');
        return renderLeadNotice(
          language,
          'lead.assignStarted',
          { lesson: command.lessonId!, total },
          'good',
        );
      });
    }
    case 'schedule': {
      if (!command.action && !command.lessonId) return picker(turn);
      if (!command.action) return renderLeadNotice(language, 'lead.usage', {}, 'attention');
      // A lesson of a phase not open yet may be scheduled for when it opens; an unknown one not.
      if (deps.units.checkLesson(command.lessonId ?? '').kind === 'unknownLesson')
        return (await lessonProblem(turn, command.lessonId))!;
      const result = await deps.units.schedule({
        team,
        action: command.action,
        lessonId: command.lessonId!,
        localTime: command.localTime,
        requestedBy: turn.userKey,
        language,
      });
      if (result.kind === 'badTime')
        return renderLeadNotice(language, 'lead.badTime', {}, 'attention');
      if (result.kind === 'inThePast')
        return renderLeadNotice(language, 'lead.inThePast', {}, 'attention');
      return renderLeadNotice(
        language,
        'lead.scheduled',
        {
          id: result.schedule.id,
          action: t(command.action === 'push' ? 'lead.actionPush' : 'lead.actionAssign'),
          lesson: command.lessonId!,
          time: result.schedule.localTime,
          zone: team.timeZone,
        },
        'good',
      );
    }
    case 'scheduled':
      return renderSchedules(language, deps.programme, await deps.units.schedules(team.teamId));
    case 'cancel': {
      const id = command.scheduleId ?? '';
      const cancelled = await deps.units.cancelSchedule(team.teamId, id);
      return renderLeadNotice(language, cancelled ? 'lead.cancelled' : 'lead.notCancelled', { id });
    }
    case 'deliveries': {
      const assignments = await deps.units.recentAssignments(team.teamId);
      if (turn.public && assignments.some((a) => a.notReached.length > 0)) {
        // Who was not reached is for the lead alone: named in their 1:1 chat, counted here.
        await deps.units.sendPrivately({
          tenantId: team.tenantId,
          serviceUrl: turn.context.activity.serviceUrl,
          recipient: { id: turn.context.activity.from.id, userKey: turn.userKey },
          language,
          card: renderDeliveries(language, deps.programme, assignments, { names: true }),
        });
      }
      return renderDeliveries(language, deps.programme, assignments, { names: !turn.public });
    }
    case 'report': {
      return withRoster(turn, async (members) =>
        command.csv
          ? offerReportExport(turn.context, deps, team, language, members)
          : renderReport(language, deps.programme, await deps.units.report(team, members)),
      );
    }
    case 'leaderboard': {
      if (command.enabled !== undefined) {
        await deps.units.setLeaderboard(team.teamId, command.enabled);
        deps.logger.info({ enabled: command.enabled }, 'team leaderboard switched');
        return renderLeadNotice(
          language,
          command.enabled ? 'lead.leaderboardOn' : 'lead.leaderboardOff',
          {},
          'good',
        );
      }
      if (!team.leaderboardEnabled) return renderLeadNotice(language, 'lead.leaderboardDisabled');
      return withRoster(turn, async (members) =>
        renderLeaderboard(language, team.name, await deps.units.leaderboard(team, members)),
      );
    }
    case 'timezone': {
      if (!command.zone)
        return renderLeadNotice(language, 'lead.timeZoneShow', { zone: team.timeZone });
      const changed = await deps.units.setTimeZone(team.teamId, command.zone);
      return changed
        ? renderLeadNotice(language, 'lead.timeZoneSet', { zone: command.zone }, 'good')
        : renderLeadNotice(
            language,
            'lead.badTimeZone',
            { zone: command.zone.slice(0, 64) },
            'attention',
          );
    }
    case 'lead': {
      if (!command.change) return renderLeadNotice(language, 'lead.usage');
      const member = await targetMember(turn, command.target);
      if (!member) {
        // Someone who has left the team is no longer in its roster: a lead is removed by the
        // Entra object id the training office knows them by.
        const objectId = command.target.trim().toLowerCase();
        if (command.change === 'remove' && OBJECT_ID.test(objectId)) {
          const removed = await deps.units.removeLead(team.teamId, objectId);
          return renderLeadNotice(language, removed ? 'lead.removedById' : 'lead.notALeadId', {
            id: objectId,
          });
        }
        return renderLeadNotice(language, 'lead.userNotFound', {}, 'attention');
      }
      if (command.change === 'add') {
        await deps.units.addLead(team.teamId, member.aadObjectId, turn.userKey);
        return renderLeadNotice(language, 'lead.added', { name: member.name }, 'good');
      }
      const removed = await deps.units.removeLead(team.teamId, member.aadObjectId);
      return renderLeadNotice(language, removed ? 'lead.removed' : 'lead.notALead', {
        name: member.name,
      });
    }
  }
}

/**
 * Unit leads' commands in a team channel (@mentioning the bot), in the four languages. Roles are
 * checked on the server for every command, from the activity's authenticated sender.
 */
export function registerLeadCommands(app: Application<TurnState>, deps: BotDeps): void {
  app.message(
    (context) =>
      Promise.resolve(
        context.activity.type === ActivityTypes.Message &&
          !isPersonal(context) &&
          teamOf(context) !== undefined &&
          parseLeadCommand(context.activity.text) !== undefined,
      ),
    async (context) =>
      replyWithApologyOnFailure(context, deps, async () => {
        pokeAfterReply(context, deps);
        const turn = (await leadTurn(context, deps))!;
        await sendCard(context, await runChecked(turn, parseLeadCommand(context.activity.text)!));
      }),
  );

  // The same buttons' Action.Submit fallbacks (clients that render cards 1.2): a new message.
  app.message(
    (context) =>
      Promise.resolve(
        context.activity.type === ActivityTypes.Message &&
          !context.activity.text?.trim() &&
          isLeadVerb((context.activity.value as { verb?: unknown } | undefined)?.verb),
      ),
    async (context) =>
      replyWithApologyOnFailure(context, deps, async () => {
        pokeAfterReply(context, deps);
        const { verb, ...data } = context.activity.value as { verb: string };
        const turn = await leadTurn(context, deps);
        const command = pickedCommand(verb, data);
        await sendCard(
          context,
          !turn || !command
            ? renderRefusal(fallbackLanguage(context), 'staleCard')
            : await runChecked(turn, command),
        );
      }),
  );

  // The picker card's buttons: the clicker's role is checked exactly as for typed commands.
  app.adaptiveCards.actionExecute(
    (context) => Promise.resolve(isLeadVerb(context.activity.value?.action?.verb)),
    async (context, _state, data) =>
      withApology(
        context,
        deps,
        async () => {
          pokeAfterReply(context, deps);
          const turn = await leadTurn(context, deps);
          const command = pickedCommand(String(context.activity.value?.action?.verb), data);
          if (!turn || !command) return renderRefusal(fallbackLanguage(context), 'staleCard');
          return runChecked(turn, command);
        },
        async (apology) => apology,
      ),
  );
}
