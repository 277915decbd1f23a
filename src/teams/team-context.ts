import { TeamsInfo, type TurnContext } from 'botbuilder';
import { PROGRAMME_TIME_ZONE } from '../time/zones';
import { type Logger } from '../logger';
import { type UnitService } from '../units/unit-service';
import { type Member, type Team } from '../units/unit-store';

interface TeamsChannelData {
  team?: { id?: string; name?: string; aadGroupId?: string };
  channel?: { id?: string };
  tenant?: { id?: string };
}

/** The team an activity comes from (a channel message or a team install), if any. */
export function teamOf(context: TurnContext): Team | undefined {
  const activity = context.activity;
  const channelData = (activity.channelData ?? {}) as TeamsChannelData;
  const teamId = channelData.team?.id;
  const tenantId = (channelData.tenant?.id ?? activity.conversation?.tenantId)?.toLowerCase();
  if (!teamId || !tenantId) return undefined;
  return {
    teamId,
    tenantId,
    name: channelData.team?.name ?? null,
    serviceUrl: activity.serviceUrl,
    // Lessons are posted to the team's General channel, whose id is the team id.
    channelId: teamId,
    // Brussels unless a lead sets another zone (`timezone …`).
    timeZone: PROGRAMME_TIME_ZONE,
    // Microsoft Graph's id of the team (its Microsoft 365 group), for owner look-ups.
    aadGroupId: channelData.team?.aadGroupId ?? null,
  };
}

/** Every member of the team, page by page (TeamsInfo.getPagedTeamMembers; getMembers is throttled). */
export async function teamRoster(context: TurnContext, teamId: string): Promise<Member[]> {
  const members: Member[] = [];
  let continuationToken: string | undefined;
  do {
    const page = await TeamsInfo.getPagedTeamMembers(context, teamId, 500, continuationToken);
    for (const member of page.members) {
      if (member.aadObjectId)
        members.push({
          id: member.id,
          aadObjectId: member.aadObjectId.toLowerCase(),
          name: member.name ?? '',
          email: member.email ?? member.userPrincipalName ?? undefined,
        });
    }
    continuationToken = page.continuationToken || undefined;
  } while (continuationToken);
  return members;
}

/**
 * The team's roster (teamRoster), whose members are then kept for the programme dashboard's
 * units; a failure to keep them is logged and does not stop what the roster was read for.
 */
export async function readRoster(
  context: TurnContext,
  team: Pick<Team, 'teamId' | 'tenantId'>,
  deps: { units: Pick<UnitService, 'recordRoster'>; logger: Logger },
): Promise<Member[]> {
  const members = await teamRoster(context, team.teamId);
  try {
    await deps.units.recordRoster(team, members);
  } catch (error) {
    deps.logger.warn({ err: error }, 'unit members could not be recorded');
  }
  return members;
}
