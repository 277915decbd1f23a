import { IntervalRunner } from '../delivery/interval-runner';
import { RepeatedFailureLog, type Logger } from '../logger';
import { type UnitService } from '../units/unit-service';
import { ScheduleClaimLost, type Schedule } from '../units/unit-store';
import { type BrevetAdapter } from './bot-adapter';
import { teamRoster } from './team-context';

const LEASE_MS = 5 * 60_000;

/**
 * Fires due schedules. A claim is leased: a crashed instance's schedule is fired by another one
 * after the lease, and the enqueue and the "fired" mark share one transaction, so each schedule
 * fires once across instances.
 */
export class ScheduleRunner {
  private readonly runner: IntervalRunner;
  private readonly claimLog: RepeatedFailureLog;

  constructor(
    private readonly deps: {
      units: UnitService;
      adapter: BrevetAdapter;
      botId: string;
      workerId: string;
      logger: Logger;
      intervalMs?: number;
      onEnqueued: () => void;
    },
  ) {
    this.runner = new IntervalRunner(() => this.tick(), deps.intervalMs ?? 5000, deps.logger);
    this.claimLog = new RepeatedFailureLog(deps.logger, 'schedule claim failed', 60);
  }

  start(): void {
    this.runner.start();
  }

  stop(): Promise<void> {
    return this.runner.stop();
  }

  /** One pass: fire every due schedule (exported for tests and the bench). */
  async tick(): Promise<void> {
    let due: Schedule[] = [];
    try {
      due = await this.deps.units.claimDueSchedules(this.deps.workerId, LEASE_MS);
      this.claimLog.succeeded();
    } catch (error) {
      this.claimLog.failed(error);
      return;
    }
    for (const schedule of due) await this.fire(schedule);
  }

  private async fire(schedule: Schedule): Promise<void> {
    const { units } = this.deps;
    const claim = { scheduleId: schedule.id, workerId: this.deps.workerId };
    try {
      const team = await units.team(schedule.teamId);
      if (!team) throw new Error('team unknown');
      if (schedule.action === 'push') {
        await units.push(team, schedule.lessonId, schedule.language, claim);
      } else {
        const reference = {
          serviceUrl: team.serviceUrl,
          channelId: 'msteams',
          conversation: {
            id: team.channelId,
            isGroup: true,
            conversationType: 'channel',
            tenantId: team.tenantId,
            name: '',
          },
          bot: { id: `28:${this.deps.botId}`, name: 'Brevet' },
        };
        let members: Awaited<ReturnType<typeof teamRoster>> = [];
        await this.deps.adapter.continueConversationAsync(
          this.deps.botId,
          reference,
          async (context) => {
            members = await teamRoster(context, team.teamId);
          },
        );
        await units.assign(
          team,
          schedule.lessonId,
          schedule.requestedBy,
          schedule.language,
          members,
          claim,
        );
      }
      this.deps.logger.info({ scheduleId: schedule.id, action: schedule.action }, 'schedule fired');
      this.deps.onEnqueued();
    } catch (error) {
      if (error instanceof ScheduleClaimLost) return;
      // Left claimed: the lease expires and a later pass tries again.
      this.deps.logger.error({ err: error, scheduleId: schedule.id }, 'schedule could not fire');
    }
  }
}
