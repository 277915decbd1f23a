import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
} from '@fluentui/react-components';
import { type LoadFailure } from '../api';
import { type Messages } from '../i18n';
import { TEAMS_SECONDS } from '../teams';

function failureText(t: Messages, failure: LoadFailure) {
  switch (failure.kind) {
    case 'signIn':
      return {
        title: t.signInErrorTitle,
        body: t.signInErrorBody,
        detail: failure.timedOut ? t.teamsTimeoutDetail(TEAMS_SECONDS) : undefined,
      };
    case 'notAccepted':
      return { title: t.notAcceptedTitle, body: t.notAcceptedBody, detail: undefined };
    case 'notConfigured':
      return { title: t.unavailableTitle, body: t.notConfiguredBody, detail: undefined };
    case 'unavailable':
      return {
        title: t.unavailableTitle,
        body: t.unavailableBody,
        detail: failure.timedOut ? t.requestTimeoutDetail(TEAMS_SECONDS) : undefined,
      };
  }
}

/** An error that says what happened and what to do, with a retry button. */
export function Problem({
  failure,
  t,
  onRetry,
}: {
  failure: LoadFailure;
  t: Messages;
  onRetry: () => void;
}) {
  const { title, body, detail } = failureText(t, failure);
  return (
    <MessageBar intent="error" layout="multiline" data-testid="problem" data-failure={failure.kind}>
      <MessageBarBody>
        <MessageBarTitle>{title}</MessageBarTitle> {body}
        {detail && <> {detail}</>}
      </MessageBarBody>
      <MessageBarActions>
        <Button onClick={onRetry}>{t.retry}</Button>
      </MessageBarActions>
    </MessageBar>
  );
}
