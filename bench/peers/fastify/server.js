'use strict';

// Reference peer for the contactd benchmarks: the contacts API as a good Node developer would
// hand-write it with fastify 5 and better-sqlite3. It opens a copy of contactd's database (same
// schema) and serves the native API's URLs under /api/external/v2, without auth: every request
// works on the account given by --account.
//
//   node server.js --db PATH [--port 8080] [--host 127.0.0.1] [--account 1]

const crypto = require('node:crypto');
const { parseArgs } = require('node:util');
const Database = require('better-sqlite3');
const Fastify = require('fastify');

const { values: args } = parseArgs({
  options: {
    db: { type: 'string' },
    port: { type: 'string', default: '8080' },
    host: { type: 'string', default: '127.0.0.1' },
    account: { type: 'string', default: '1' },
  },
});
if (!args.db) {
  console.error('usage: node server.js --db PATH [--port N] [--host ADDR] [--account ID]');
  process.exit(2);
}
const ACCOUNT = Number(args.account);

// --- database ----------------------------------------------------------------------------------

const db = new Database(args.db, { fileMustExist: true });
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 5000');
db.pragma('foreign_keys = ON');

// The text fields with a case-folded key column (<field>_key) in contactd's schema.
const TEXT_FIELDS = [
  'first_name', 'last_name', 'email', 'title', 'department',
  'address', 'city', 'state', 'zip', 'linkedin_url', 'full_name',
];
// The union contact's other single-valued text columns (no key column).
const PLAIN_FIELDS = [
  'display_name', 'code', 'tax_id', 'description', 'notes', 'website', 'country', 'timezone',
  'birthday', 'anniversary', 'preferred_contact_method', 'source', 'status',
];
// JSON columns, parsed for the response.
const JSON_FIELDS = ['phones', 'spouse', 'dnd_settings', 'tags', 'addresses', 'custom_fields',
  'hotness'];
const COLUMNS =
  'id, uid, company_id, contact_types, ' + TEXT_FIELDS.join(', ') + ', ' +
  PLAIN_FIELDS.join(', ') + ', ' + JSON_FIELDS.join(', ') +
  ', full_name_given, dnd, source_id, hotness_id, is_primary, is_connected, account_id, ' +
  'owner_user_id, assigned_user_id, created_at, updated_at';

// Fields a list may filter and sort on, with how to read a query-string value for each.
const text = (v) => v;
// Text compares through case-folded keys (see the insert below).
const fold = (v) => (v == null ? null : String(v).normalize('NFKC').toLowerCase());
const integer = (v) => (/^-?\d+$/.test(v) ? Number(v) : undefined);
const bool = (v) => (v === 'true' ? 1 : v === 'false' ? 0 : undefined);
const timestamp = (v) => {
  // ISO 8601 date or date-time with a zone (Z or an offset) -> unix seconds.
  if (!/^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2}))?$/.test(v)) {
    return undefined;
  }
  const ms = Date.parse(v.length === 10 ? v + 'T00:00:00Z' : v.replace(' ', 'T'));
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
};
const QUERY_FIELDS = {
  id: integer,
  contact_type: text,
  ...Object.fromEntries(TEXT_FIELDS.map((f) => [f, fold])),
  status: fold,
  preferred_contact_method: fold,
  company_id: integer,
  is_primary: bool,
  owner_account_id: integer,
  owner_user_id: integer,
  assigned_user_id: integer,
  created_at: timestamp,
  updated_at: timestamp,
};
const SORT_FIELDS = new Set([...Object.keys(QUERY_FIELDS), 'is_connected']);
const column = (field) =>
  field === 'owner_account_id' ? 'account_id' : TEXT_FIELDS.includes(field) ? `${field}_key` : field;
const OPS = {
  $eq: (c) => `${c} = ?`,
  $ne: (c) => `${c} IS NOT ?`,
  $lt: (c) => `${c} < ?`,
  $lte: (c) => `${c} <= ?`,
  $gt: (c) => `${c} > ?`,
  $gte: (c) => `${c} >= ?`,
  $in: (c, n) => `${c} IN (${placeholders(n)})`,
  $nin: (c, n) => `(${c} IS NULL OR ${c} NOT IN (${placeholders(n)}))`,
};
const placeholders = (n) => new Array(n).fill('?').join(', ');

// Prepared statements, cached by their SQL: lists and updates build their SQL from the shape of
// the request (which filters, which fields), and there are few shapes.
const statements = new Map();
function prepare(sql) {
  let stmt = statements.get(sql);
  if (stmt === undefined) {
    stmt = db.prepare(sql);
    if (statements.size < 1000) statements.set(sql, stmt);
  }
  return stmt;
}

const selectContact = db.prepare(`SELECT ${COLUMNS} FROM contacts WHERE account_id = ? AND id = ?`);
const selectByEmail = db.prepare(
  'SELECT id FROM contacts WHERE account_id = ? AND is_connected IN (0, 1) AND email_key = ? LIMIT 2');
const selectCompanyName = db.prepare('SELECT name FROM companies WHERE account_id = ? AND id = ?');
const selectFields = db.prepare('SELECT id, key, data_type FROM custom_fields WHERE account_id = ?');
const selectField = db.prepare(
  'SELECT id, data_type FROM custom_fields WHERE account_id = ? AND key = ?');
const insertWord = db.prepare(
  'INSERT OR IGNORE INTO contact_words (account_id, word, contact_id) VALUES (?, ?, ?)');
const insertTag = db.prepare(
  'INSERT OR IGNORE INTO contact_tags (account_id, tag_key, contact_id) VALUES (?, ?, ?)');
const countTag = db.prepare(
  'INSERT INTO tags (account_id, tag_key, name, contacts) VALUES (?, ?, ?, 1) ' +
  'ON CONFLICT (account_id, tag_key) DO UPDATE SET contacts = contacts + 1');
const insertFieldValue = db.prepare(
  'INSERT OR IGNORE INTO contact_field_values (account_id, field_id, value, contact_id) ' +
  'VALUES (?, ?, ?, ?)');
// contactd's schema compares text through case-folded key columns (<field>_key, indexed) and
// keeps contact types as a bit mask: this service fills them the way a Node developer would
// (NFKC + toLowerCase, JavaScript's nearest to Unicode case folding) and filters on them.
const KEY_FIELDS = TEXT_FIELDS.map((f) => `${f}_key`);
const TYPE_BITS = { lender_contact: 1, sponsor: 2 };
const insertContact = db.prepare(
  `INSERT INTO contacts (account_id, uid, company_id, contact_type, contact_types, ` +
    `contact_type_mask, ${TEXT_FIELDS.join(', ')}, ${KEY_FIELDS.join(', ')}, ` +
    `${PLAIN_FIELDS.join(', ')}, phones, tags, custom_fields, ` +
    `is_primary, is_connected, created_at, updated_at) ` +
    `VALUES (?, ?, ?, ?, ?, ?, ${placeholders(2 * TEXT_FIELDS.length + PLAIN_FIELDS.length)}, ` +
    `?, ?, ?, ?, ?, ?, ?) RETURNING ${COLUMNS}`,
);

// The side tables contactd keeps, written the way a Node developer would: search words (names,
// email, company, phone digits both ways), tag entries and counts, custom field values.
const words = (t) => (t == null ? [] : fold(t).split(/[^\p{L}\p{N}]+/u).filter(Boolean));
function indexContact(id, b, phones, tags, custom) {
  const all = new Set();
  for (const f of ['first_name', 'last_name', 'full_name', 'display_name', 'email']) {
    for (const w of words(b[f])) all.add(w);
  }
  if (b.company_id != null) {
    const company = selectCompanyName.get(ACCOUNT, b.company_id);
    if (company) for (const w of words(company.name)) all.add(w);
  }
  for (const p of phones) {
    const digits = p.raw.replace(/\D/g, '');
    if (digits.length >= 4) {
      all.add(digits);
      all.add([...digits].reverse().join(''));
    }
  }
  for (const w of all) insertWord.run(ACCOUNT, w, id);
  for (const tag of tags) {
    insertTag.run(ACCOUNT, fold(tag), id);
    countTag.run(ACCOUNT, fold(tag), tag);
  }
  if (custom && Object.keys(custom).length) {
    const fields = new Map(selectFields.all(ACCOUNT).map((f) => [f.key, f]));
    for (const [key, value] of Object.entries(custom)) {
      const field = fields.get(key);
      if (!field) throw badRequest(`custom_fields.${key}: unknown custom field`);
      insertFieldValue.run(ACCOUNT, field.id, typeof value === 'string' ? fold(value) : value, id);
    }
  }
}
const ping = db.prepare('SELECT 1');

// --- representation ----------------------------------------------------------------------------

const iso = (seconds) => new Date(seconds * 1000).toISOString().slice(0, 19) + 'Z';

function toJson(row) {
  const types = row.contact_types.split(',');
  const out = {
    id: row.id,
    uid: row.uid,
    contact_type: types[0],
    contact_types: types,
    company_id: row.company_id,
  };
  for (const f of TEXT_FIELDS) out[f] = row[f];
  for (const f of PLAIN_FIELDS) out[f] = row[f];
  for (const f of JSON_FIELDS) out[f] = row[f] == null ? null : JSON.parse(row[f]);
  out.custom_fields = out.custom_fields || {};
  out.full_name_given = row.full_name_given === 1;
  out.dnd = row.dnd === 1;
  out.source_id = row.source_id;
  out.hotness_id = row.hotness_id;
  if (out.hotness) out.hotness.id = row.hotness_id;
  out.is_primary = row.is_primary === 1;
  out.is_connected = row.is_connected === 1;
  out.owner_user_id = row.owner_user_id;
  out.assigned_user_id = row.assigned_user_id;
  out.owner_account_id = row.account_id;
  out.created_at = iso(row.created_at);
  out.updated_at = iso(row.updated_at);
  return out;
}

// --- schemas -----------------------------------------------------------------------------------

const nullableString = { type: ['string', 'null'] };
const phoneSchema = {
  type: 'object',
  properties: {
    type: { type: 'string' },
    raw: { type: 'string' },
    country: { type: 'string' },
    e164: { type: 'string' },
    extension: { type: 'string' },
  },
};
const contactSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    contact_type: { type: 'string' },
    contact_types: { type: 'array', items: { type: 'string' } },
    company_id: { type: ['integer', 'null'] },
    uid: { type: 'string' },
    ...Object.fromEntries(TEXT_FIELDS.map((f) => [f, nullableString])),
    ...Object.fromEntries(PLAIN_FIELDS.map((f) => [f, nullableString])),
    phones: { type: 'array', items: phoneSchema },
    spouse: { type: ['object', 'null'], additionalProperties: true },
    dnd_settings: { type: ['object', 'null'], additionalProperties: true },
    tags: { type: 'array', items: { type: 'string' } },
    addresses: { type: 'array', items: { type: 'object', additionalProperties: true } },
    custom_fields: { type: 'object', additionalProperties: true },
    hotness: { type: ['object', 'null'], additionalProperties: true },
    full_name_given: { type: 'boolean' },
    dnd: { type: 'boolean' },
    source_id: { type: ['integer', 'null'] },
    hotness_id: { type: ['integer', 'null'] },
    is_primary: { type: 'boolean' },
    is_connected: { type: 'boolean' },
    owner_account_id: { type: 'integer' },
    owner_user_id: { type: ['integer', 'null'] },
    assigned_user_id: { type: ['integer', 'null'] },
    created_at: { type: 'string' },
    updated_at: { type: 'string' },
  },
};
const errorSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: { code: { type: 'string' }, message: { type: 'string' } },
    },
  },
};
const oneContact = { type: 'object', properties: { data: contactSchema } };
const contactPage = {
  type: 'object',
  properties: {
    data: { type: 'array', items: contactSchema },
    pagination: {
      type: 'object',
      properties: {
        limit: { type: 'integer' },
        offset: { type: 'integer' },
        has_more: { type: 'boolean' },
      },
    },
  },
};

const textInput = { type: ['string', 'null'], maxLength: 255 };
const inputProperties = {
  ...Object.fromEntries(TEXT_FIELDS.map((f) => [f, textInput])),
  email: { type: ['string', 'null'], maxLength: 254, format: 'email' },
  phones: {
    type: 'array',
    maxItems: 20,
    items: {
      type: 'object',
      required: ['raw'],
      additionalProperties: false,
      properties: {
        raw: { type: 'string', minLength: 1, maxLength: 64 },
        type: { type: 'string', enum: ['mobile', 'office', 'fax', 'home'] },
        country: { type: 'string', pattern: '^[A-Za-z]{2}$' },
        extension: { type: 'string', maxLength: 16 },
      },
    },
  },
  is_connected: { type: 'boolean' },
  ...Object.fromEntries(PLAIN_FIELDS.map((f) => [f, textInput])),
  tags: { type: 'array', maxItems: 100, items: { type: 'string', minLength: 1, maxLength: 64 } },
  custom_fields: {
    type: 'object',
    maxProperties: 500,
    additionalProperties: true,
  },
};
const createBody = {
  type: 'object',
  required: ['contact_type'],
  additionalProperties: false,
  properties: {
    contact_type: { type: 'string', enum: ['lender_contact', 'sponsor'] },
    company_id: { type: ['integer', 'null'], minimum: 1 },
    is_primary: { type: 'boolean' },
    ...inputProperties,
  },
};
const updateBody = { type: 'object', additionalProperties: false, properties: inputProperties };
const upsertBody = {
  ...createBody,
  required: ['contact_type', 'email'],
  properties: { ...createBody.properties, match_on: { type: 'array', items: { enum: ['email'] } } },
};
const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'integer', minimum: 1 } },
};

// --- server ------------------------------------------------------------------------------------

const app = Fastify({ logger: false });

class HttpError extends Error {
  constructor(statusCode, code, message) {
    super(message);
    this.statusCode = statusCode;
    this.code = code;
  }
}
const notFound = () => new HttpError(404, 'not_found', 'Contact not found');
const badRequest = (message) => new HttpError(400, 'bad_request', message);

const ERROR_CODES = { 400: 'bad_request', 404: 'not_found', 413: 'payload_too_large', 415: 'unsupported_media_type' };
app.setErrorHandler((err, request, reply) => {
  const status = err.statusCode && err.statusCode < 500 ? err.statusCode : 500;
  const code = err instanceof HttpError ? err.code : ERROR_CODES[status] || 'internal_error';
  if (status === 500) console.error(err);
  reply.code(status).send({
    error: { code, message: status === 500 ? 'An unexpected error occurred' : err.message },
  });
});
app.setNotFoundHandler((request, reply) => {
  reply.code(404).send({ error: { code: 'not_found', message: 'No such route' } });
});

const BASE = '/api/external/v2';
const one = (status) => ({ [status]: oneContact, '4xx': errorSchema });

app.get('/healthz', async () => {
  ping.get();
  return { status: 'ok' };
});

app.get(`${BASE}/contacts/:id`, { schema: { params: idParams, response: one(200) } }, async (req) => {
  const row = selectContact.get(ACCOUNT, req.params.id);
  if (row === undefined) throw notFound();
  return { data: toJson(row) };
});

// GET /contacts: limit, offset, after_id (keyset on id), sort=a,-b, is_connected=true|false|all
// and filters field=v, field[$op]=v (repeat $in / $nin keys for several values).
app.get(`${BASE}/contacts`, { schema: { response: { 200: contactPage, '4xx': errorSchema } } },
  async (req) => {
    const where = ['account_id = ?'];
    const params = [ACCOUNT];
    let limit = 50;
    let offset = 0;
    let afterId = null;
    let connected = 'true';
    const order = [];

    for (const [key, raw] of Object.entries(req.query)) {
      const values = Array.isArray(raw) ? raw : [raw];
      const value = values[values.length - 1];
      if (key === 'limit') {
        limit = integer(value);
        if (!(limit >= 1 && limit <= 200)) throw badRequest('limit must be an integer between 1 and 200');
      } else if (key === 'offset') {
        offset = integer(value);
        if (!(offset >= 0)) throw badRequest('offset must be a non-negative integer');
      } else if (key === 'after_id') {
        afterId = integer(value);
        if (afterId === undefined) throw badRequest('after_id must be an integer');
      } else if (key === 'is_connected') {
        if (!['true', 'false', 'all'].includes(value)) throw badRequest('is_connected must be true, false or all');
        connected = value;
      } else if (key === 'sort') {
        for (let part of value.split(',')) {
          part = part.trim();
          if (!part) continue;
          const desc = part[0] === '-';
          const name = part[0] === '-' || part[0] === '+' ? part.slice(1) : part;
          if (!SORT_FIELDS.has(name)) throw badRequest(`sort: unknown field '${name}'`);
          order.push(column(name) + (desc ? ' DESC' : ''));
          if (name === 'id') break;
        }
      } else if (key === 'search') {
        // Every word a prefix of one of the contact's search words.
        for (const w of words(value).slice(0, 10)) {
          where.push('id IN (SELECT contact_id FROM contact_words WHERE account_id = ? AND ' +
            'word >= ? AND word < ?)');
          params.push(ACCOUNT, w, w + '\uffff');
        }
      } else if (key === 'tags' || key === 'tags[$in]') {
        where.push('id IN (SELECT contact_id FROM contact_tags WHERE account_id = ? AND ' +
          `tag_key IN (${placeholders(values.length)}))`);
        params.push(ACCOUNT, ...values.map(fold));
      } else if (key.startsWith('custom_fields.')) {
        const field = selectField.get(ACCOUNT, key.slice('custom_fields.'.length));
        if (!field) throw badRequest(`${key}: unknown custom field`);
        where.push('id IN (SELECT contact_id FROM contact_field_values WHERE account_id = ? AND ' +
          'field_id = ? AND value = ?)');
        params.push(ACCOUNT, field.id, field.data_type === 'number' ? Number(value) : fold(value));
      } else {
        const m = /^([a-z_]+)(?:\[(\$[a-z]+)\])?$/.exec(key);
        const parse = m && QUERY_FIELDS[m[1]];
        if (!parse) throw badRequest(`unknown query parameter '${key}'`);
        const op = m[2] || '$eq';
        if (!OPS[op]) throw badRequest(`unknown filter operator in '${key}'`);
        const many = op === '$in' || op === '$nin';
        const parsed = (many ? values : [value]).map((v) => {
          const p = parse(v);
          if (p === undefined) throw badRequest(`${key} has an invalid value`);
          return p;
        });
        if (parsed.length > 100) throw badRequest(`${key} takes at most 100 values`);
        where.push(OPS[op](column(m[1]), parsed.length));
        params.push(...parsed);
      }
    }

    if (connected === 'true') where.push('is_connected = 1');
    else if (connected === 'false') where.push('is_connected = 0');
    else if (where.length > 1) where.push('is_connected IN (0, 1)'); // lets the field indexes serve
    if (afterId !== null) {
      if (order.length) throw badRequest('after_id pages in id order only; use offset with sort');
      where.push('id > ?');
      params.push(afterId);
    }
    if (!order.some((o) => o === 'id' || o === 'id DESC')) order.push('id');

    const sql = `SELECT ${COLUMNS} FROM contacts WHERE ${where.join(' AND ')} ` +
      `ORDER BY ${order.join(', ')} LIMIT ? OFFSET ?`;
    const rows = prepare(sql).all(...params, limit + 1, offset);
    const hasMore = rows.length > limit;
    if (hasMore) rows.pop();
    return { data: rows.map(toJson), pagination: { limit, offset, has_more: hasMore } };
  });

const toPhones = (list) => (list || []).map((p) => ({
  type: p.type || 'mobile',
  raw: p.raw,
  country: p.country ? p.country.toUpperCase() : '',
  e164: '',
  extension: p.extension || '',
}));

// Inserts the contact and its side-table entries; call inside a transaction.
function insert(b) {
  const now = Math.floor(Date.now() / 1000);
  const phones = toPhones(b.phones);
  const tags = [...new Map((b.tags || []).map((t) => [fold(t.trim()), t.trim()])).values()];
  const fields = { ...b };
  if (fields.full_name == null) {
    fields.full_name = [b.first_name, b.last_name].filter(Boolean).join(' ') || null;
  }
  const row = insertContact.get(
    ACCOUNT, crypto.randomUUID(), b.company_id ?? null, b.contact_type, b.contact_type,
    TYPE_BITS[b.contact_type] || 0,
    ...TEXT_FIELDS.map((f) => fields[f] ?? null),
    ...TEXT_FIELDS.map((f) => fold(fields[f])),
    ...PLAIN_FIELDS.map((f) => (f === 'status' ? b.status || 'active' : b[f] ?? null)),
    JSON.stringify(phones), JSON.stringify(tags),
    b.custom_fields && Object.keys(b.custom_fields).length ? JSON.stringify(b.custom_fields) : null,
    b.is_primary ? 1 : 0, b.is_connected ? 1 : 0, now, now,
  );
  indexContact(row.id, fields, phones, tags, b.custom_fields);
  return row;
}
const create = db.transaction(insert);

app.post(`${BASE}/contacts`, { schema: { body: createBody, response: one(201) } }, async (req, reply) => {
  const row = create(req.body);
  reply.code(201);
  return { data: toJson(row) };
});

// The SET terms and their parameters for the text fields a body sends (with their fold keys).
function textChanges(b) {
  const sets = [];
  const params = [];
  for (const f of TEXT_FIELDS) {
    if (b[f] !== undefined) {
      sets.push(`${f} = ?`, `${f}_key = ?`);
      params.push(b[f], fold(b[f]));
    }
  }
  return { sets, params };
}

// POST /contacts/upsert: the contact with the body's email is updated with the (text) fields
// sent, or created; in one transaction, so that two upserts of one email create one contact.
const upsert = db.transaction((b) => {
  const found = selectByEmail.all(ACCOUNT, fold(b.email));
  if (found.length > 1) throw new HttpError(409, 'conflict', 'Several contacts match');
  if (found.length === 0) return { row: insert(b), created: true };
  const { sets, params } = textChanges(b);
  sets.push('updated_at = ?');
  params.push(Math.floor(Date.now() / 1000));
  const sql = `UPDATE contacts SET ${sets.join(', ')} WHERE account_id = ? AND id = ? RETURNING ${COLUMNS}`;
  return { row: prepare(sql).get(...params, ACCOUNT, found[0].id), created: false };
});

app.post(`${BASE}/contacts/upsert`, {
  schema: {
    body: upsertBody,
    response: {
      '2xx': { type: 'object', properties: { created: { type: 'boolean' }, data: contactSchema } },
      '4xx': errorSchema,
    },
  },
}, async (req, reply) => {
  const { row, created } = upsert(req.body);
  reply.code(created ? 201 : 200);
  return { created, data: toJson(row) };
});

app.patch(`${BASE}/contacts/:id`, { schema: { params: idParams, body: updateBody, response: one(200) } },
  async (req) => {
    const b = req.body || {};
    const { sets, params } = textChanges(b);
    if (b.phones !== undefined) {
      sets.push('phones = ?');
      params.push(JSON.stringify(toPhones(b.phones)));
    }
    if (b.is_connected !== undefined) {
      sets.push('is_connected = ?');
      params.push(b.is_connected ? 1 : 0);
    }
    let row;
    if (sets.length === 0) {
      row = selectContact.get(ACCOUNT, req.params.id);
    } else {
      sets.push('updated_at = ?');
      params.push(Math.floor(Date.now() / 1000));
      const sql = `UPDATE contacts SET ${sets.join(', ')} WHERE account_id = ? AND id = ? RETURNING ${COLUMNS}`;
      row = prepare(sql).get(...params, ACCOUNT, req.params.id);
    }
    if (row === undefined) throw notFound();
    return { data: toJson(row) };
  });

function shutdown() {
  app.close().then(() => {
    db.close();
    process.exit(0);
  });
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

app.listen({ port: Number(args.port), host: args.host }).then(
  (address) => console.log(`fastify peer listening on ${address} (db ${args.db}, account ${ACCOUNT})`),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
