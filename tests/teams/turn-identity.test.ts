import { type Activity, TestAdapter, TurnContext } from 'botbuilder';
import { conversationAddress } from '../../src/teams/turn-identity';

const contextOf = (activity: Partial<Activity>) =>
  new TurnContext(new TestAdapter(), { type: 'message', channelId: 'msteams', ...activity });

describe('the address of a turn’s 1:1 chat', () => {
  it('is where the activity came from: service URL, conversation and Teams user id', () => {
    const context = contextOf({
      serviceUrl: 'https://smba.example/emea/',
      conversation: { id: 'a:chat', conversationType: 'personal', isGroup: false, name: '' },
      from: { id: '29:user', name: 'Learner', aadObjectId: 'oid' },
      recipient: { id: '28:bot', name: 'Brevet' },
    });
    expect(conversationAddress(context)).toEqual({
      serviceUrl: 'https://smba.example/emea/',
      conversationId: 'a:chat',
      recipientId: '29:user',
    });
  });

  it('is unknown when the activity names no service URL or no conversation', () => {
    const conversation = { id: 'a:chat', isGroup: false, name: '', conversationType: 'personal' };
    expect(conversationAddress(contextOf({ conversation }))).toBeUndefined();
    expect(conversationAddress(contextOf({ serviceUrl: 'https://smba.example/' }))).toBeUndefined();
  });
});
