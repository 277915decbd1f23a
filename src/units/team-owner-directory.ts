/** The team whose owners are asked about: its tenant and its Microsoft 365 group id. */
export interface OwnedTeam {
  tenantId: string;
  aadGroupId: string;
}

/**
 * Who owns a team, from the organisation's directory (Microsoft Graph in production). Owners of
 * a unit's team are its leads. Throws when it cannot tell: the caller treats that as "not an
 * owner" (fail closed).
 */
export interface TeamOwnerDirectory {
  /** Whether the user (Entra object id, any case) is an owner of the team. */
  isOwner(team: OwnedTeam, userKey: string): Promise<boolean>;
}
