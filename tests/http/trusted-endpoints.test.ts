import {
  isBotFrameworkServiceUrl,
  isFileUploadUrl,
  isHttpUrl,
} from '../../src/http/trusted-endpoints';

const strict = { allowLoopback: false };
const loopback = { allowLoopback: true };

describe('where the bot token may go', () => {
  it.each([
    'https://smba.trafficmanager.net/emea/',
    'https://smba.trafficmanager.net/teams/',
    'https://smba.infra.gcc.teams.microsoft.com/teams',
    'https://smba.infra.gov.teams.microsoft.us/teams',
    'https://europe.token.botframework.com/',
  ])('accepts the Bot Framework service %s', (url) => {
    expect(isBotFrameworkServiceUrl(url, strict)).toBe(true);
  });

  it.each([
    'http://smba.trafficmanager.net/emea/',
    'https://smba.trafficmanager.net.evil.example/emea/',
    'https://evilbotframework.com/',
    'https://user:pass@smba.trafficmanager.net/emea/',
    'https://attacker.example/',
    'http://169.254.169.254/metadata',
    'http://127.0.0.1:3978/',
    '',
    'not a url',
  ])('refuses %s outside tests', (url) => {
    expect(isBotFrameworkServiceUrl(url, strict)).toBe(false);
  });

  it('accepts loopback only when the policy allows it', () => {
    expect(isBotFrameworkServiceUrl('http://127.0.0.1:41000/', loopback)).toBe(true);
    expect(isBotFrameworkServiceUrl('http://[::1]:41000/', loopback)).toBe(true);
    expect(isBotFrameworkServiceUrl('http://10.0.0.1/', loopback)).toBe(false);
  });
});

describe('where files may be uploaded', () => {
  it('accepts SharePoint/OneDrive upload sessions over HTTPS only', () => {
    expect(isFileUploadUrl('https://contoso-my.sharepoint.com/personal/x/_api/up', strict)).toBe(
      true,
    );
    expect(isFileUploadUrl('http://contoso-my.sharepoint.com/x', strict)).toBe(false);
    expect(isFileUploadUrl('https://sharepoint.com.evil.example/x', strict)).toBe(false);
    expect(isFileUploadUrl('https://onedrive.evil.example/x', strict)).toBe(false);
    expect(isFileUploadUrl('http://127.0.0.1:1/x', strict)).toBe(false);
    expect(isFileUploadUrl('http://127.0.0.1:1/x', loopback)).toBe(true);
  });
});

describe('an activity serviceUrl', () => {
  it.each([
    ['', false],
    ['ftp://smba.trafficmanager.net/', false],
    ['javascript:alert(1)', false],
    [42, false],
    ['https://smba.trafficmanager.net/emea/', true],
  ])('%p is an http(s) URL: %p', (value, expected) => {
    expect(isHttpUrl(value)).toBe(expected);
  });
});
