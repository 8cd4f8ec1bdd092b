/** Organizations: `hub.orgs.settings`, `.members`, `.invites`, `.teams` (Docker's "groups"). */
import type { HubClient } from './client.js';
import { OrgInvites } from './org-invites.js';
import { OrgMembers } from './org-members.js';
import { OrgSettingsApi } from './org-settings.js';
import { OrgTeams } from './org-teams.js';

export class Orgs {
  readonly settings: OrgSettingsApi;
  readonly members: OrgMembers;
  readonly invites: OrgInvites;
  readonly teams: OrgTeams;

  constructor(hub: HubClient) {
    this.settings = new OrgSettingsApi(hub);
    this.members = new OrgMembers(hub);
    this.invites = new OrgInvites(hub);
    this.teams = new OrgTeams(hub);
  }
}
