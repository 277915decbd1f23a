import { ActivityTypes, TeamsInfo, type TurnContext } from 'botbuilder';
import { type Application, type TurnState } from '@microsoft/teams-ai';
import { type AdaptiveCardJson } from '../../cards/card-templates';
import { z } from 'zod';
import {
  LEAD_MENU_COMMANDS,
  LEAD_VERBS,
  type LeadMenuCommand,
  type LeadVerb,
} from '../../cards/card-verbs';
import { renderApology, renderRefusal } from '../../cards/learner-cards';
import {
  renderDeliveries,
  renderLeadNotice,
  renderLeaderboard,
  renderLeadPicker,
  renderReport,
  renderSchedules,
} from '../../cards/unit-cards';
import { formatDate, type Language } from '../../i18n/languages';
import {
  type LeadCommand,
  type ParsedLeadCommand,
  parseLeadCommand,
} from '../../i18n/lead-commands';
import { translate } from '../../i18n/messages';
import { localParts } from '../../time/zones';
import { type Role } from '../../units/unit-service';
import { type Member, type StoredTeam } from '../../units/unit-store';
import { type BotDeps, fallbackLanguage, followClient } from '../bot-deps';
import { sendCard } from '../card-replies';
import { registerCardVerbs } from '../card-verb-routes';
import { readRoster, teamOf } from '../team-context';
import { replyWithApologyOnFailure } from '../turn-guard';
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

/** An Entra object id (a GUID). */
const OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Whether Teams' answer to a member look-up means "no such member in the team": 404 (or
 * MemberNotFoundInConversation, which Teams also sends as a 400), or 400 for an id or UPN it
 * cannot read. Throttling, an outage or a refused token are failures, not answers.
 */
function isNoSuchMember(error: unknown): boolean {
  const { statusCode, code } = (error ?? {}) as { statusCode?: unknown; code?: unknown };
  return statusCode === 404 || statusCode === 400 || code === 'MemberNotFoundInConversation';
}

type TargetMember =
  { kind: 'found'; aadObjectId: string; name: string } | { kind: 'notFound' } | { kind: 'failed' };

/** The person a `lead add|remove` names: an @mention other than the bot, or an e-mail/UPN. */
async function targetMember(turn: LeadTurn, target: string): Promise<TargetMember> {
  const { context } = turn;
  const mention = (context.activity.entities ?? []).find(
    (entity) =>
      entity.type === 'mention' && entity.mentioned?.id !== context.activity.recipient?.id,
  ) as { mentioned?: { id?: string } } | undefined;
  const id = mention?.mentioned?.id ?? target.trim();
  if (!id) return { kind: 'notFound' };
  try {
    const member = await TeamsInfo.getTeamMember(context, turn.team.teamId, id);
    return member.aadObjectId
      ? { kind: 'found', aadObjectId: member.aadObjectId, name: member.name ?? id }
      : { kind: 'notFound' };
  } catch (error) {
    if (isNoSuchMember(error)) return { kind: 'notFound' };
    turn.deps.logger.error({ err: error }, 'team member could not be looked up');
    return { kind: 'failed' };
  }
}

function unknownLesson(turn: LeadTurn, lessonId: string): AdaptiveCardJson {
  return renderLeadNotice(turn.language, 'lead.unknownLesson', { lesson: lessonId }, 'attention');
}

/** Why a lesson cannot be pushed or assigned now, as the card that says so; undefined if it can. */
function lessonProblem(turn: LeadTurn, lessonId: string): AdaptiveCardJson | undefined {
  const check = turn.deps.units.checkLesson(lessonId);
  if (check.kind === 'unknownLesson') return unknownLesson(turn, lessonId);
  if (check.kind === 'phaseNotOpen')
    return renderLeadNotice(
      turn.language,
      'lead.phaseNotOpen',
      { lesson: lessonId, date: formatDate(turn.language, check.opensAt) },
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

function pickedCommand(verb: LeadVerb, data: unknown): ParsedLeadCommand | undefined {
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

/** One lead command as parsed. */
type LeadCommandOf<C extends LeadCommand> = ParsedLeadCommand & { command: C };

interface LeadCommandHandler<C extends LeadCommand> {
  /** The least role that may run it (a function where it depends on what is asked). */
  leastRole: Role | ((command: LeadCommandOf<C>) => Role);
  run(turn: LeadTurn, command: LeadCommandOf<C>): Promise<AdaptiveCardJson>;
}

/** Each role can do what the ones before it can: admins (the training office) everything. */
const ROLE_RANK: Record<Role, number> = { member: 0, lead: 1, admin: 2 };

/** Every lead command: the least role that may run it, and what it does. */
const LEAD_COMMAND_HANDLERS: { [C in LeadCommand]: LeadCommandHandler<C> } = {
  push: {
    leastRole: 'lead',
    async run(turn, { lessonId }) {
      if (!lessonId) return picker(turn);
      const problem = lessonProblem(turn, lessonId);
      if (problem) return problem;
      await turn.deps.units.push(turn.team, lessonId, turn.language);
      return renderLeadNotice(turn.language, 'lead.pushQueued', { lesson: lessonId }, 'good');
    },
  },

  assign: {
    leastRole: 'lead',
    async run(turn, { lessonId }) {
      const { deps, team, language } = turn;
      if (!lessonId) return picker(turn);
      const problem = lessonProblem(turn, lessonId);
      if (problem) return problem;
      return withRoster(turn, async (members) => {
        const { total } = await deps.units.assign(team, lessonId, turn.userKey, language, members);
        deps.logger.info({ teamMembers: total, lessonId }, 'assignment enqueued');
        return renderLeadNotice(
          language,
          'lead.assignStarted',
          { lesson: lessonId, total },
          'good',
        );
      });
    },
  },

  schedule: {
    leastRole: 'lead',
    async run(turn, { action, lessonId, localTime }) {
      const { deps, team, language } = turn;
      if (!action && !lessonId) return picker(turn);
      if (!action) return renderLeadNotice(language, 'lead.usage', {}, 'attention');
      // A lesson of a phase not open yet may be scheduled for when it opens; an unknown one not.
      if (!lessonId || deps.units.checkLesson(lessonId).kind === 'unknownLesson')
        return unknownLesson(turn, lessonId ?? '');
      const result = await deps.units.schedule({
        team,
        action,
        lessonId,
        localTime,
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
          action: translate(language, action === 'push' ? 'lead.actionPush' : 'lead.actionAssign'),
          lesson: lessonId,
          time: result.schedule.localTime,
          zone: team.timeZone,
        },
        'good',
      );
    },
  },

  scheduled: {
    leastRole: 'lead',
    async run({ deps, team, language }) {
      return renderSchedules(language, deps.programme, await deps.units.schedules(team.teamId));
    },
  },

  cancel: {
    leastRole: 'lead',
    async run({ deps, team, language }, { scheduleId }) {
      const id = scheduleId ?? '';
      const cancelled = await deps.units.cancelSchedule(team.teamId, id);
      return renderLeadNotice(language, cancelled ? 'lead.cancelled' : 'lead.notCancelled', { id });
    },
  },

  deliveries: {
    leastRole: 'lead',
    async run(turn) {
      const { deps, team, language } = turn;
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
    },
  },

  report: {
    leastRole: 'lead',
    async run(turn, { csv }) {
      const { deps, team, language } = turn;
      return withRoster(turn, async (members) =>
        csv
          ? offerReportExport(turn.context, deps, team, language, members)
          : renderReport(language, deps.programme, await deps.units.report(team, members)),
      );
    },
  },

  // Looking at the leaderboard (where it is on) is for every member of the team; turning it on
  // or off is the training office's.
  leaderboard: {
    leastRole: ({ enabled }) => (enabled === undefined ? 'member' : 'admin'),
    async run(turn, { enabled }) {
      const { deps, team, language } = turn;
      if (enabled !== undefined) {
        await deps.units.setLeaderboard(team.teamId, enabled);
        deps.logger.info({ enabled }, 'team leaderboard switched');
        return renderLeadNotice(
          language,
          enabled ? 'lead.leaderboardOn' : 'lead.leaderboardOff',
          {},
          'good',
        );
      }
      if (!team.leaderboardEnabled) return renderLeadNotice(language, 'lead.leaderboardDisabled');
      return withRoster(turn, async (members) =>
        renderLeaderboard(language, team.name, await deps.units.leaderboard(team, members)),
      );
    },
  },

  timezone: {
    leastRole: 'lead',
    async run({ deps, team, language }, { zone }) {
      if (!zone) return renderLeadNotice(language, 'lead.timeZoneShow', { zone: team.timeZone });
      const changed = await deps.units.setTimeZone(team.teamId, zone);
      return changed
        ? renderLeadNotice(language, 'lead.timeZoneSet', { zone }, 'good')
        : renderLeadNotice(language, 'lead.badTimeZone', { zone: zone.slice(0, 64) }, 'attention');
    },
  },

  // Naming leads is the training office's.
  lead: {
    leastRole: 'admin',
    async run(turn, { change, target }) {
      const { deps, team, language } = turn;
      if (!change) return renderLeadNotice(language, 'lead.usage');
      const member = await targetMember(turn, target);
      if (member.kind === 'failed') return renderApology(language);
      if (member.kind === 'notFound') {
        // Someone who has left the team is no longer in its roster: a lead is removed by the
        // Entra object id the training office knows them by.
        const objectId = target.trim().toLowerCase();
        if (change === 'remove' && OBJECT_ID.test(objectId)) {
          const removed = await deps.units.removeLead(team.teamId, objectId);
          return renderLeadNotice(language, removed ? 'lead.removedById' : 'lead.notALeadId', {
            id: objectId,
          });
        }
        return renderLeadNotice(language, 'lead.userNotFound', {}, 'attention');
      }
      if (change === 'add') {
        await deps.units.addLead(team.teamId, member.aadObjectId, turn.userKey);
        return renderLeadNotice(language, 'lead.added', { name: member.name }, 'good');
      }
      const removed = await deps.units.removeLead(team.teamId, member.aadObjectId);
      return renderLeadNotice(language, removed ? 'lead.removed' : 'lead.notALead', {
        name: member.name,
      });
    },
  },
};

function handlerOf(command: ParsedLeadCommand): LeadCommandHandler<LeadCommand> {
  return LEAD_COMMAND_HANDLERS[command.command] as LeadCommandHandler<LeadCommand>;
}

/** The least role that may run a lead command. */
export function leastRoleOf(command: ParsedLeadCommand): Role {
  const { leastRole } = handlerOf(command);
  return typeof leastRole === 'function' ? leastRole(command) : leastRole;
}

/** Runs a lead command after checking the sender's role on the server; refusals send nothing. */
async function runChecked(turn: LeadTurn, command: ParsedLeadCommand): Promise<AdaptiveCardJson> {
  const role = await turn.deps.units.roleOf(turn.team, turn.userKey);
  if (ROLE_RANK[role] < ROLE_RANK[leastRoleOf(command)]) {
    turn.deps.logger.info({ command: command.command }, 'lead command refused: not a lead');
    return renderLeadNotice(turn.language, 'lead.notAllowed', {}, 'attention');
  }
  return handlerOf(command).run(turn, command);
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

  // The picker and menu cards' buttons, and their Action.Submit fallbacks (clients that render
  // cards 1.2: a new message): the clicker's role is checked exactly as for typed commands.
  registerCardVerbs(app, deps, {
    verbs: Object.values(LEAD_VERBS),
    async answer(context, { verb, data }) {
      pokeAfterReply(context, deps);
      const turn = await leadTurn(context, deps);
      const command = pickedCommand(verb, data);
      if (!turn || !command) return { card: renderRefusal(fallbackLanguage(context), 'staleCard') };
      return { card: await runChecked(turn, command) };
    },
  });
}
