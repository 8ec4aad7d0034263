// Drives contactd's /compat/liondesk surface with the official FeathersJS REST client
// (@feathersjs/feathers + @feathersjs/rest-client over node's global fetch) and prints one JSON
// object: every step's raw result (or the Feathers error it raised) and the requests it made.
// It decides nothing: tests/api/test_liondesk_feathers_client.py asserts on its output.
//
//   node tests/clients/liondesk_feathers.mjs BASE_URL TOKEN USER_ID [HOTNESS_ID [SOURCE_ID]]
//
// BASE_URL is the surface's base (http://127.0.0.1:PORT/compat/liondesk); requests go to
// BASE_URL/contacts. An error answered by the server (an HTTP response was received) is recorded
// as {name, code, className, message, errors}; anything else (no server, a client-side error)
// prints the results so far to stderr and exits non-zero.
import { createRequire } from 'node:module';
import { feathers } from '@feathersjs/feathers';
import rest from '@feathersjs/rest-client';

const require = createRequire(import.meta.url);

const [baseUrl, token, userArg, hotnessArg, sourceArg] = process.argv.slice(2);
if (!baseUrl || !token || !userArg) {
  process.stderr.write('usage: liondesk_feathers.mjs BASE_URL TOKEN USER_ID [HOTNESS_ID ' +
                       '[SOURCE_ID]]\n');
  process.exit(2);
}
const userId = Number(userArg);

// Every request the client makes, with the status it got (fetch wrapped, nothing else changed).
const requests = [];
async function trackedFetch(url, init = {}) {
  const entry = { method: init.method || 'GET', url: String(url), status: null };
  requests.push(entry);
  const response = await fetch(url, init);
  entry.status = response.status;
  return response;
}

const app = feathers();
// rest-client 5's FetchClient merges `options.headers` (the second argument here) into every
// request's headers, after Accept and before the per-call params.headers.
app.configure(rest(baseUrl).fetch(trackedFetch, {
  headers: { Authorization: `Bearer ${token}` }
}));
const contacts = app.service('contacts');

const out = {
  _client: {
    node: process.version,
    feathers: require('@feathersjs/feathers/package.json').version,
    'rest-client': require('@feathersjs/rest-client/package.json').version,
    qs: require('qs/package.json').version
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
    if (!err || !err.response) throw err;
    const { name: errorName, code, className, message, errors } = err;
    out[name] = { error: { name: errorName, code, className, message, errors } };
  }
  out[name].requests = requests.slice(first);
  return out[name].result;
}

async function main() {
  // The seed's "Submit one Contact" body; assigned_user_id, hotness_id and source_id from the
  // command line (the seed's 2, 12 and 12 are another account's ids).
  const bill = {
    assigned_user_id: userId,
    first_name: 'Bill',
    last_name: 'Gates',
    email: 'bill@microsoft.com',
    mobile_phone: '1 (604) 555-4572',
    home_phone: '1 (604) 555-1124',
    office_phone: '1 (208) 555-4432',
    fax: '1 (306) 555-0449',
    company: 'Microsoft',
    birthday: '1955-10-28',
    anniversary: '2017-10-31',
    spouse_name: 'Melinda Gates',
    spouse_email: 'melinda@gatesfoundation.com',
    spouse_phone: '1 (604) 555-1124',
    spouse_birthday: '1964-08-15',
    tags: 'Pending',
    created_at: '2016-07-01T12:12:11.000Z',
    modified_at: '2018-01-09T12:24:09.000Z'
  };
  if (hotnessArg !== undefined) bill.hotness_id = Number(hotnessArg);
  if (sourceArg !== undefined) bill.source_id = Number(sourceArg);
  // From the seed's second find record (its owner and assignee are another account's users).
  const jobs = {
    first_name: 'Steve',
    last_name: 'Jobs',
    email: 'steve.jobs@apple.com',
    mobile_phone: '1 (250) 555-8899',
    company: 'Apple',
    tags: 'Seller',
    created_at: '2017-11-21T07:08:10.000Z',
    modified_at: '2018-02-01T07:08:10.000Z'
  };
  const woz = {
    first_name: 'Steve',
    last_name: 'Wozniak',
    company: 'Apple',
    created_at: '2019-03-01T00:00:00Z'
  };
  out._sent = { bill, jobs, woz };

  const billRecord = await step('create_bill', () => contacts.create(bill));
  await step('create_jobs', () => contacts.create(jobs));
  const wozRecord = await step('create_woz', () => contacts.create(woz));
  if (!billRecord || !wozRecord) throw new Error('a create failed; nothing to go on with');
  const billId = billRecord.id;
  const wozId = wozRecord.id;

  await step('get_bill', () => contacts.get(billId));
  await step('patch_bill', () => contacts.patch(billId, {
    assigned_user_id: String(userId),
    first_name: 'William'
  }));

  const finds = {
    find_all: undefined,
    find_last_name: { last_name: 'gates' },
    find_ne: { last_name: { $ne: 'gates' } },
    find_in: { last_name: { $in: ['gates', 'jobs'] } },
    find_nin: { last_name: { $nin: ['gates', 'jobs'] } },
    find_created_lt: { created_at: { $lt: '2018-01-01T00:00:00Z' } },
    find_created_range: { created_at: { $gte: '2017-01-01', $lte: '2017-12-31T23:59:59Z' } },
    find_created_gte_offset: { created_at: { $gte: '2018-05-07T10:00:00-07:00' } },
    find_limit: { $limit: 2 },
    find_limit_skip: { $limit: 1, $skip: 1 },
    find_sort_created_desc: { $sort: { created_at: -1 } },
    find_sort_last_name: { $sort: { last_name: 1 } },
    find_sort_first_last: { $sort: { first_name: 1, last_name: 1 } },
    find_sort_first_last_desc: { $sort: { first_name: 1, last_name: -1 } },
    find_select: { $select: ['id', 'first_name'] },
    find_or: { $or: [{ last_name: 'gates' }, { first_name: { $ne: 'steve' } }] },
    find_or_select: {
      $or: [{ last_name: 'jobs' }, { company: 'microsoft' }],
      $select: ['last_name']
    },
    find_mobile_phone: { mobile_phone: '+16045554572' },
    find_tags: { tags: 'seller' },
    find_company: { company: 'APPLE', $sort: { id: 1 } }
  };
  for (const [name, query] of Object.entries(finds)) {
    await step(name, () => (query === undefined ? contacts.find() : contacts.find({ query })));
  }

  await step('get_select', () => contacts.get(billId, { query: { $select: ['email'] } }));
  await step('find_unknown_field', () => contacts.find({ query: { nope: 1 } }));
  await step('get_missing', () => contacts.get(99999999));
  await step('remove_woz', () => contacts.remove(wozId));
  await step('get_removed', () => contacts.get(wozId));
}

try {
  await main();
} catch (err) {
  process.stderr.write(`liondesk_feathers.mjs: unexpected ${err && err.stack ? err.stack : err}\n`);
  if (err && err.response) process.stderr.write(`(HTTP ${err.response.status})\n`);
  process.stderr.write(`results so far: ${JSON.stringify(out)}\n`);
  process.exit(1);
}
process.stdout.write(JSON.stringify(out) + '\n');
