import { Migration } from '@mikro-orm/migrations';

/**
 * The partner API (modules/conversations/HANDOFF.md "Integration agents"; modules/webhooks/webhooks.service.ts, lead details):
 *
 * - A conversation WITH_AGENT is held by a member (`agent_user_id`) or by an API key with the
 *   `conversations_handle` scope (`agent_api_key_id`): exactly one of them, so the take-over race stays one
 *   conditional update on this row whoever takes it.
 * - `webhook_endpoint.include_lead_details`: whether `lead.captured` deliveries to the endpoint carry the
 *   visitor's contact details (set only by actors allowed to read leads), instead of ids and flags.
 *
 * Both tables already have forced row-level security; no new table.
 */
export class Migration20261207220400PartnerHandoffAndLeadWebhooks extends Migration {
  override name = 'Migration20261207220400PartnerHandoffAndLeadWebhooks';

  override async up(): Promise<void> {
    this.addSql(`alter table conversation
      add column agent_api_key_id uuid references api_key(id) on delete set null deferrable initially deferred,
      drop constraint conversation_agent_holds_check,
      add constraint conversation_agent_holds_check
        check ((status = 'WITH_AGENT') = (num_nonnulls(agent_user_id, agent_api_key_id) = 1))`);
    this.addSql(`alter table webhook_endpoint add column include_lead_details boolean not null default false`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table webhook_endpoint drop column include_lead_details`);
    this.addSql(`alter table conversation
      drop constraint conversation_agent_holds_check,
      drop column agent_api_key_id,
      add constraint conversation_agent_holds_check check ((status = 'WITH_AGENT') = (agent_user_id is not null))`);
  }
}
