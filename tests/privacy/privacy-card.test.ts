import path from 'node:path';
import { TestAdapter, TurnContext, type Activity } from 'botbuilder';
import ts from 'typescript';
import { PRIVACY_VERBS, type PrivacyVerb } from '../../src/cards/card-verbs';
import { translate } from '../../src/i18n/messages';
import { createLogger } from '../../src/logger';
import { type BotDeps } from '../../src/teams/bot-deps';
import { answerPrivacyClick } from '../../src/teams/features/personal-data';
import { activitiesFor, cardText, newUser } from '../support/activities';
import { LogCapture } from '../support/brevet-harness';

describe('the privacy card’s switch', () => {
  const user = newUser('nl-BE');
  const logs = new LogCapture();
  const erase = jest.fn(async () => true);
  // Only what the erase and confirmation paths use: nobody is known, so the client's language.
  const deps = {
    learning: { findLearner: async () => undefined },
    personalData: { erase },
    logger: createLogger('info', logs),
    clock: () => new Date('2026-11-30T09:00:00Z'),
  } as unknown as BotDeps;
  const click = (verb: string) =>
    answerPrivacyClick(
      new TurnContext(
        new TestAdapter(),
        activitiesFor(user, 'http://127.0.0.1:9/').execute(verb, {}) as Activity,
      ),
      deps,
      verb as PrivacyVerb,
    );

  it('erases nothing for an action it does not know: the stale-card refusal', async () => {
    for (const verb of ['privacy.eraseAll', 'privacy.Erase', 'privacy.', '']) {
      expect(cardText(await click(verb))).toContain(translate('nl', 'error.staleCard'));
    }
    expect(erase).not.toHaveBeenCalled();
    expect(logs.lines.filter((line) => line.msg === 'unknown privacy action')).toHaveLength(4);

    // The erase button asks first; only the confirmation's own verb erases.
    expect(cardText(await click(PRIVACY_VERBS.erase))).toContain(
      translate('nl', 'privacy.confirm'),
    );
    expect(erase).not.toHaveBeenCalled();
    expect(cardText(await click(PRIVACY_VERBS.eraseConfirmed))).toContain(
      translate('nl', 'privacy.erased'),
    );
    expect(erase).toHaveBeenCalledTimes(1);
  });

  it('does not compile once a privacy verb is added without its own case (the `never` check)', () => {
    const file = (name: string) => path.resolve(__dirname, '../../src', name);
    const verbsFile = file('cards/card-verbs.ts');
    const featureFile = file('teams/features/personal-data.ts');
    const config = ts.getParsedCommandLineOfConfigFile(
      path.resolve(__dirname, '../../tsconfig.json'),
      {},
      { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
    )!;
    const host = ts.createCompilerHost(config.options);
    const getSourceFile = host.getSourceFile;
    host.getSourceFile = (name, languageVersion, ...rest) => {
      if (path.resolve(name) !== verbsFile) return getSourceFile(name, languageVersion, ...rest);
      const source = ts.sys.readFile(verbsFile)!;
      const withNewVerb = source.replace(
        "eraseConfirmed: 'privacy.eraseConfirmed',",
        "eraseConfirmed: 'privacy.eraseConfirmed',\n  forget: 'privacy.forget',",
      );
      expect(withNewVerb).not.toBe(source);
      return ts.createSourceFile(name, withNewVerb, languageVersion);
    };
    const program = ts.createProgram([featureFile], config.options, host);
    const errors = program
      .getSemanticDiagnostics(program.getSourceFile(featureFile))
      .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    expect(errors).toEqual([`Type '"privacy.forget"' is not assignable to type 'never'.`]);
  }, 120_000);
});
