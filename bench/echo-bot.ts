import restify, { type Request, type Response, type Server } from 'restify';
import { TeamsAdapter } from '@microsoft/teams-ai';
import {
  ActivityTypes,
  MessageFactory,
  type ConfigurationBotFrameworkAuthenticationOptions,
} from 'botbuilder';

/**
 * The baseline: a bare botbuilder echo bot on the adapter class Brevet uses (TeamsAdapter, the
 * same ConfigurationBotFrameworkAuthentication options without an app id) behind the same
 * restify setup (bodyParser). One text reply per message activity, an empty 200 per invoke,
 * nothing for other activities. No teams-ai Application, no storage, no cards.
 */
export function createEchoServer(): Server {
  const adapter = new TeamsAdapter({
    MicrosoftAppId: '',
    MicrosoftAppPassword: '',
    MicrosoftAppType: 'MultiTenant',
    MicrosoftAppTenantId: '',
  } as ConfigurationBotFrameworkAuthenticationOptions);
  adapter.onTurnError = async (_context, error) => {
    process.stderr.write(`echo bot turn error: ${String(error)}\n`);
  };

  const server = restify.createServer({ name: 'echo', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: 256 * 1024, mapParams: false }));
  server.post('/api/messages', async (req: Request, res: Response) => {
    await adapter.process(req, res, async (context) => {
      if (context.activity.type === ActivityTypes.Message) {
        await context.sendActivity(MessageFactory.text(`echo: ${context.activity.text ?? ''}`));
      } else if (context.activity.type === ActivityTypes.Invoke) {
        await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200 } });
      }
    });
  });
  return server;
}
