import { TeamsInfo, type TurnContext } from 'botbuilder';
import { PROGRAMME_TIME_ZONE } from '../time/zones';
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
