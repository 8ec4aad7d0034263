// Drives contactd's /compat/leadconnector surface with HighLevel's official Node SDK
// (@gohighlevel/api-client, over its own axios instance) and prints one JSON object: every step's
// raw result (or the SDK error it raised) and the requests it made. It decides nothing:
// tests/api/test_leadconnector_sdk_client.py asserts on its output.
//
//   node tests/clients/leadconnector_sdk.mjs BASE_URL TOKEN LOCATION_ID READONLY_TOKEN
//
// BASE_URL is the surface's base (http://127.0.0.1:PORT/compat/leadconnector): the SDK has no
// base-URL option, so the script sets its axios instance's defaults.baseURL (getHttpClient() is
// the SDK's documented "advanced usage" handle). TOKEN is a private integration token with the
// contacts scopes, READONLY_TOKEN one with contacts.readonly only, LOCATION_ID the account's uid.
// An error answered by the server (the SDK's GHLError with a statusCode) is recorded as
// {class, name, code, statusCode, message, response, instanceOf}; anything else (no server, a
// client-side error) prints the results so far to stderr and exits non-zero.
import { createRequire } from 'node:module';
import ghl from '@gohighlevel/api-client';

const require = createRequire(import.meta.url);
const {
  HighLevel, GHLError, GHLAuthenticationError, GHLForbiddenError, GHLNotFoundError,
  GHLValidationError, GHLRateLimitError, GHLServerError, GHLNetworkError
} = ghl;
// The axios the SDK itself loads (for getAdapter; nothing else of it is used).
const sdkRequire = createRequire(require.resolve('@gohighlevel/api-client'));
const axios = sdkRequire('axios');

const [baseUrl, token, locationId, readonlyToken] = process.argv.slice(2);
if (!baseUrl || !token || !locationId || !readonlyToken) {
  process.stderr.write('usage: leadconnector_sdk.mjs BASE_URL TOKEN LOCATION_ID ' +
                       'READONLY_TOKEN\n');
  process.exit(2);
}

// Every request any client makes, as it leaves axios (after the SDK's interceptors), with the
// Version header it carried and the status it got: the adapter wrapped, nothing else changed.
const requests = [];
function client(name, config) {
  // logLevel 'none': the SDK logs errors to stderr and info to stdout otherwise.
  const sdk = new HighLevel({ logLevel: 'none', ...config });
  const http = sdk.getHttpClient();
  http.defaults.baseURL = baseUrl;
  // The server is local: a developer's HTTP_PROXY must not divert it (axios reads the env).
  http.defaults.proxy = false;
  const adapter = axios.getAdapter(http.defaults.adapter);
  http.defaults.adapter = async (request) => {
    const entry = {
      client: name,
      method: request.method.toUpperCase(),
      url: axios.getUri(request),
      version: request.headers.get('Version') ?? null,
      status: null
    };
    requests.push(entry);
    try {
      const response = await adapter(request);
      entry.status = response.status;
      return response;
    } catch (err) {
      if (err && err.response) entry.status = err.response.status;
      throw err;
    }
  };
  return sdk;
}

const ERROR_CLASSES = {
  GHLError, GHLAuthenticationError, GHLForbiddenError, GHLNotFoundError, GHLValidationError,
  GHLRateLimitError, GHLServerError, GHLNetworkError
};

const out = {
  _client: {
    node: process.version,
    'api-client': require('@gohighlevel/api-client/package.json').version,
    axios: sdkRequire('axios/package.json').version
  }
};

// Runs one step: records {result, requests} or {error, requests}; rethrows what the server did
// not answer (so the script exits non-zero).
async function step(name, call) {
  if (name in out) throw new Error(`duplicate step ${name}`);
  const first = requests.length;
  try {
    out[name] = { result: await call() };
  } catch (err) {
    if (!(err instanceof GHLError) || err.statusCode === undefined) throw err;
    out[name] = {
      error: {
        class: err.constructor.name,
        name: err.name,
        code: err.code,
        statusCode: err.statusCode,
        message: err.message,
        response: err.response,
        instanceOf: Object.keys(ERROR_CLASSES).filter((k) => err instanceof ERROR_CLASSES[k])
      }
    };
  }
  out[name].requests = requests.slice(first);
  return out[name].result;
}

async function main() {
  const sdk = client('default', { privateIntegrationToken: token });
  const v2021 = client('v2021', { privateIntegrationToken: token, apiVersion: '2021-07-28' });
  const badVersion = client('bad_version', {
    privateIntegrationToken: token, apiVersion: '2020-01-01'
  });
  const reader = client('readonly', { privateIntegrationToken: readonlyToken });
  const contacts = sdk.contacts;

  // The seed's "Create Contact" body, with this account's uid for its locationId.
  const jane = {
    firstName: 'Jane',
    lastName: 'Smith',
    email: 'jane@smithco.com',
    phone: '+15551234567',
    locationId,
    tags: ['new-lead', 'website'],
    source: 'api',
    companyName: 'Smith Co',
    address1: '456 Oak Ave',
    city: 'Austin',
    state: 'TX',
    postalCode: '78702',
    country: 'US',
    timezone: 'America/Chicago'
  };
  const update = { firstName: 'Janet' };
  const upsertJane = { locationId, email: 'jane@smithco.com', city: 'Dallas' };
  const john = {
    locationId, firstName: 'John', lastName: 'Doe', email: 'john@doeco.com',
    phone: '+15559876543'
  };
  const search = {
    locationId,
    pageLimit: 10,
    filters: [{ field: 'email', operator: 'eq', value: 'jane@smithco.com' }]
  };
  const searchPage = {
    locationId, page: 2, pageLimit: 1, sort: [{ field: 'firstName', direction: 'asc' }]
  };
  const badEmail = { locationId, firstName: 'Bad', email: 'not-an-email' };
  const badTimezone = {
    locationId, firstName: 'Bad', email: 'bad.tz@example.com', timezone: 'Mars/Olympus'
  };
  const readonlyCreate = { locationId, firstName: 'Read', email: 'read.only@example.com' };
  out._sent = {
    jane, update, upsertJane, john, search, searchPage, badEmail, badTimezone, readonlyCreate
  };

  const created = await step('create_jane', () => contacts.createContact(jane));
  if (!created || !created.contact) throw new Error('the create failed; nothing to go on with');
  const contactId = created.contact.id;

  await step('get_jane', () => contacts.getContact({ contactId }));
  await step('update_jane', () => contacts.updateContact({ contactId }, update));
  await step('add_tags', () => contacts.addTags({ contactId }, { tags: ['vip'] }));
  await step('remove_tags', () => contacts.removeTags({ contactId }, { tags: ['website'] }));
  await step('upsert_existing', () => contacts.upsertContact(upsertJane));
  await step('upsert_new', () => contacts.upsertContact(john));
  await step('get_after_upsert', () => contacts.getContact({ contactId }));

  await step('search_email', () => contacts.searchContactsAdvanced(search));
  await step('search_page', () => contacts.searchContactsAdvanced(searchPage));

  await step('duplicate_email', () =>
    contacts.getDuplicateContact({ locationId, email: 'jane@smithco.com' }));
  await step('duplicate_number', () =>
    contacts.getDuplicateContact({ locationId, number: '+15551234567' }));
  await step('duplicate_none', () =>
    contacts.getDuplicateContact({ locationId, email: 'nobody@example.com' }));

  await step('list_query', () => contacts.getContacts({ locationId, limit: 10, query: 'smith' }));
  await step('list_first', () => contacts.getContacts({ locationId, limit: 1 }));

  await step('get_v2021', () => v2021.contacts.getContact({ contactId }));
  await step('get_bad_version', () => badVersion.contacts.getContact({ contactId }));

  await step('create_bad_email', () => contacts.createContact(badEmail));
  await step('create_bad_timezone', () => contacts.createContact(badTimezone));

  await step('readonly_get', () => reader.contacts.getContact({ contactId }));
  await step('readonly_create', () => reader.contacts.createContact(readonlyCreate));

  await step('delete_jane', () => contacts.deleteContact({ contactId }));
  await step('get_deleted', () => contacts.getContact({ contactId }));
}

try {
  await main();
} catch (err) {
  process.stderr.write(`leadconnector_sdk.mjs: unexpected ${err && err.stack ? err.stack : err}\n`);
  if (err && err.statusCode !== undefined) process.stderr.write(`(HTTP ${err.statusCode})\n`);
  process.stderr.write(`results so far: ${JSON.stringify(out)}\n`);
  process.exit(1);
}
process.stdout.write(JSON.stringify(out) + '\n');
