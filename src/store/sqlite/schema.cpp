#include "store/sqlite/schema.hpp"

#include <array>
#include <string>

#include "store/sqlite/statement.hpp"

namespace contactd::store::sqlite {
namespace {

// Migrations are append-only: never edit one that has shipped, add the next.
constexpr std::array<const char*, 25> kMigrations = {
    // 1: accounts, users and tokens, companies, contacts.
    R"sql(
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO settings (key, value) VALUES ('cursor_secret', lower(hex(randomblob(32))));

CREATE TABLE accounts (
  id         INTEGER PRIMARY KEY,
  uid        TEXT NOT NULL UNIQUE,
  name       TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE users (
  id         INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts (id),
  role       TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'viewer')),
  created_at INTEGER NOT NULL
);
CREATE INDEX users_account ON users (account_id);

-- Tokens are stored only as the SHA-256 of the secret.
CREATE TABLE tokens (
  hash       TEXT PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users (id),
  created_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE companies (
  id                 INTEGER PRIMARY KEY,
  account_id         INTEGER NOT NULL REFERENCES accounts (id),
  uid                TEXT NOT NULL UNIQUE,
  name               TEXT NOT NULL COLLATE NOCASE,
  company_type       TEXT,
  primary_contact_id INTEGER,
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL
);
CREATE INDEX companies_account ON companies (account_id);
CREATE INDEX companies_account_name ON companies (account_id, name);

-- Text columns compare case-insensitively, so that filters and sorts on names and emails match
-- the way people read them, and the indexes below serve them.
CREATE TABLE contacts (
  id               INTEGER PRIMARY KEY,
  account_id       INTEGER NOT NULL REFERENCES accounts (id),
  uid              TEXT NOT NULL UNIQUE,
  company_id       INTEGER REFERENCES companies (id),
  contact_type     TEXT NOT NULL,
  contact_types    TEXT NOT NULL,
  first_name       TEXT COLLATE NOCASE,
  last_name        TEXT COLLATE NOCASE,
  email            TEXT COLLATE NOCASE,
  title            TEXT COLLATE NOCASE,
  department       TEXT COLLATE NOCASE,
  address          TEXT COLLATE NOCASE,
  city             TEXT COLLATE NOCASE,
  state            TEXT COLLATE NOCASE,
  zip              TEXT COLLATE NOCASE,
  linkedin_url     TEXT COLLATE NOCASE,
  phones           TEXT NOT NULL DEFAULT '[]',
  is_primary       INTEGER NOT NULL DEFAULT 0,
  is_connected     INTEGER NOT NULL DEFAULT 0,
  owner_user_id    INTEGER REFERENCES users (id),
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL
);
-- Every index leads with account_id, so that no list or count reads another account's rows, and
-- ends (implicitly) with the rowid, so that ORDER BY <field>, id needs no sort.
CREATE INDEX contacts_account ON contacts (account_id);
CREATE INDEX contacts_account_connected ON contacts (account_id, is_connected);
CREATE INDEX contacts_account_contact_type ON contacts (account_id, contact_type);
CREATE INDEX contacts_account_first_name ON contacts (account_id, first_name);
CREATE INDEX contacts_account_last_name ON contacts (account_id, last_name);
CREATE INDEX contacts_account_email ON contacts (account_id, email);
CREATE INDEX contacts_account_title ON contacts (account_id, title);
CREATE INDEX contacts_account_department ON contacts (account_id, department);
CREATE INDEX contacts_account_address ON contacts (account_id, address);
CREATE INDEX contacts_account_city ON contacts (account_id, city);
CREATE INDEX contacts_account_state ON contacts (account_id, state);
CREATE INDEX contacts_account_zip ON contacts (account_id, zip);
CREATE INDEX contacts_account_linkedin_url ON contacts (account_id, linkedin_url);
CREATE INDEX contacts_account_company ON contacts (account_id, company_id, is_primary);
CREATE INDEX contacts_account_primary ON contacts (account_id, is_primary);
CREATE INDEX contacts_account_created_at ON contacts (account_id, created_at);
CREATE INDEX contacts_account_updated_at ON contacts (account_id, updated_at);
)sql",

    // 2: per-account contact counts, so that the total of an unfiltered list costs O(1) whatever
    // the account's size. Triggers keep them in the same transaction as the change.
    R"sql(
CREATE TABLE contact_counts (
  account_id   INTEGER NOT NULL,
  is_connected INTEGER NOT NULL,
  n            INTEGER NOT NULL,
  PRIMARY KEY (account_id, is_connected)
) WITHOUT ROWID;
INSERT INTO contact_counts (account_id, is_connected, n)
  SELECT account_id, is_connected, count(*) FROM contacts GROUP BY account_id, is_connected;

CREATE TRIGGER contacts_count_insert AFTER INSERT ON contacts BEGIN
  INSERT INTO contact_counts (account_id, is_connected, n) VALUES (NEW.account_id, NEW.is_connected, 1)
    ON CONFLICT (account_id, is_connected) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER contacts_count_delete AFTER DELETE ON contacts BEGIN
  UPDATE contact_counts SET n = n - 1
    WHERE account_id = OLD.account_id AND is_connected = OLD.is_connected;
END;
CREATE TRIGGER contacts_count_move AFTER UPDATE OF is_connected, account_id ON contacts
  WHEN OLD.is_connected IS NOT NEW.is_connected OR OLD.account_id IS NOT NEW.account_id BEGIN
  UPDATE contact_counts SET n = n - 1
    WHERE account_id = OLD.account_id AND is_connected = OLD.is_connected;
  INSERT INTO contact_counts (account_id, is_connected, n) VALUES (NEW.account_id, NEW.is_connected, 1)
    ON CONFLICT (account_id, is_connected) DO UPDATE SET n = n + 1;
END;
)sql",

    // 3: every list filters on is_connected (connected only by default), so the field indexes
    // lead with (account_id, is_connected): a filtered total then counts index entries only,
    // instead of reading every matching row to check is_connected.
    R"sql(
DROP INDEX contacts_account_contact_type;
DROP INDEX contacts_account_first_name;
DROP INDEX contacts_account_last_name;
DROP INDEX contacts_account_email;
DROP INDEX contacts_account_title;
DROP INDEX contacts_account_department;
DROP INDEX contacts_account_address;
DROP INDEX contacts_account_city;
DROP INDEX contacts_account_state;
DROP INDEX contacts_account_zip;
DROP INDEX contacts_account_linkedin_url;
DROP INDEX contacts_account_created_at;
DROP INDEX contacts_account_updated_at;
CREATE INDEX contacts_connected_contact_type ON contacts (account_id, is_connected, contact_type);
CREATE INDEX contacts_connected_first_name ON contacts (account_id, is_connected, first_name);
CREATE INDEX contacts_connected_last_name ON contacts (account_id, is_connected, last_name);
CREATE INDEX contacts_connected_email ON contacts (account_id, is_connected, email);
CREATE INDEX contacts_connected_title ON contacts (account_id, is_connected, title);
CREATE INDEX contacts_connected_department ON contacts (account_id, is_connected, department);
CREATE INDEX contacts_connected_address ON contacts (account_id, is_connected, address);
CREATE INDEX contacts_connected_city ON contacts (account_id, is_connected, city);
CREATE INDEX contacts_connected_state ON contacts (account_id, is_connected, state);
CREATE INDEX contacts_connected_zip ON contacts (account_id, is_connected, zip);
CREATE INDEX contacts_connected_linkedin_url ON contacts (account_id, is_connected, linkedin_url);
CREATE INDEX contacts_connected_created_at ON contacts (account_id, is_connected, created_at);
CREATE INDEX contacts_connected_updated_at ON contacts (account_id, is_connected, updated_at);
DROP INDEX contacts_account_company;
CREATE INDEX contacts_connected_company ON contacts (account_id, is_connected, company_id);
CREATE INDEX contacts_account_company_primary ON contacts (account_id, company_id, is_primary);
DROP INDEX contacts_account_primary;
CREATE INDEX contacts_connected_primary ON contacts (account_id, is_connected, is_primary);
)sql",
    // 4: left empty. A development build once shipped a migration 4 that dropped two indexes and
    // was withdrawn; migration 5 puts them back for a file that ran it.
    R"sql(
SELECT 1;
)sql",

    // 5: text filters and sorts compare Unicode case-folded keys (domain::FoldCase, through the
    // contactd_fold function every connection registers) instead of ASCII NOCASE, so that
    // "ÉLODIE" finds "Élodie"; each field's index moves to its key. A set of contact types is
    // also kept as a bit mask (bit i: kContactTypes[i]), so that a filter matches any member.
    R"sql(
ALTER TABLE contacts ADD COLUMN contact_type_mask INTEGER NOT NULL DEFAULT 0;
ALTER TABLE contacts ADD COLUMN first_name_key TEXT;
ALTER TABLE contacts ADD COLUMN last_name_key TEXT;
ALTER TABLE contacts ADD COLUMN email_key TEXT;
ALTER TABLE contacts ADD COLUMN title_key TEXT;
ALTER TABLE contacts ADD COLUMN department_key TEXT;
ALTER TABLE contacts ADD COLUMN address_key TEXT;
ALTER TABLE contacts ADD COLUMN city_key TEXT;
ALTER TABLE contacts ADD COLUMN state_key TEXT;
ALTER TABLE contacts ADD COLUMN zip_key TEXT;
ALTER TABLE contacts ADD COLUMN linkedin_url_key TEXT;
UPDATE contacts SET
  contact_type_mask = (instr(',' || contact_types || ',', ',lender_contact,') > 0)
                    | ((instr(',' || contact_types || ',', ',sponsor,') > 0) << 1),
  first_name_key = contactd_fold(first_name),
  last_name_key = contactd_fold(last_name),
  email_key = contactd_fold(email),
  title_key = contactd_fold(title),
  department_key = contactd_fold(department),
  address_key = contactd_fold(address),
  city_key = contactd_fold(city),
  state_key = contactd_fold(state),
  zip_key = contactd_fold(zip),
  linkedin_url_key = contactd_fold(linkedin_url);
DROP INDEX contacts_connected_first_name;
DROP INDEX contacts_connected_last_name;
DROP INDEX contacts_connected_email;
DROP INDEX contacts_connected_title;
DROP INDEX contacts_connected_department;
DROP INDEX contacts_connected_address;
DROP INDEX contacts_connected_city;
DROP INDEX contacts_connected_state;
DROP INDEX contacts_connected_zip;
DROP INDEX contacts_connected_linkedin_url;
CREATE INDEX contacts_connected_first_name_key ON contacts (account_id, is_connected, first_name_key);
CREATE INDEX contacts_connected_last_name_key ON contacts (account_id, is_connected, last_name_key);
CREATE INDEX contacts_connected_email_key ON contacts (account_id, is_connected, email_key);
CREATE INDEX contacts_connected_title_key ON contacts (account_id, is_connected, title_key);
CREATE INDEX contacts_connected_department_key ON contacts (account_id, is_connected, department_key);
CREATE INDEX contacts_connected_address_key ON contacts (account_id, is_connected, address_key);
CREATE INDEX contacts_connected_city_key ON contacts (account_id, is_connected, city_key);
CREATE INDEX contacts_connected_state_key ON contacts (account_id, is_connected, state_key);
CREATE INDEX contacts_connected_zip_key ON contacts (account_id, is_connected, zip_key);
CREATE INDEX contacts_connected_linkedin_url_key ON contacts (account_id, is_connected, linkedin_url_key);
CREATE INDEX contacts_connected_contact_type_mask
  ON contacts (account_id, is_connected, contact_type_mask);
CREATE INDEX IF NOT EXISTS contacts_account ON contacts (account_id);
CREATE INDEX IF NOT EXISTS contacts_account_connected ON contacts (account_id, is_connected);
)sql",

    // 6: the union contact's single-valued fields (docs/contact-model.md). full_name is derived
    // from first and last name unless given (full_name_given), so existing rows get it derived.
    // Indexed: full_name (seed 003 sorts by name), status and preferred_contact_method (seed 003
    // lists by them); the other new fields filter unindexed. Nested values are JSON.
    R"sql(
ALTER TABLE contacts ADD COLUMN full_name TEXT;
ALTER TABLE contacts ADD COLUMN full_name_key TEXT;
ALTER TABLE contacts ADD COLUMN full_name_given INTEGER NOT NULL DEFAULT 0;
ALTER TABLE contacts ADD COLUMN display_name TEXT;
ALTER TABLE contacts ADD COLUMN code TEXT;
ALTER TABLE contacts ADD COLUMN tax_id TEXT;
ALTER TABLE contacts ADD COLUMN description TEXT;
ALTER TABLE contacts ADD COLUMN notes TEXT;
ALTER TABLE contacts ADD COLUMN website TEXT;
ALTER TABLE contacts ADD COLUMN country TEXT;
ALTER TABLE contacts ADD COLUMN timezone TEXT;
ALTER TABLE contacts ADD COLUMN birthday TEXT;
ALTER TABLE contacts ADD COLUMN anniversary TEXT;
ALTER TABLE contacts ADD COLUMN preferred_contact_method TEXT;
ALTER TABLE contacts ADD COLUMN source TEXT;
ALTER TABLE contacts ADD COLUMN status TEXT NOT NULL DEFAULT 'active';
ALTER TABLE contacts ADD COLUMN spouse TEXT;
ALTER TABLE contacts ADD COLUMN dnd INTEGER NOT NULL DEFAULT 0;
ALTER TABLE contacts ADD COLUMN dnd_settings TEXT;
UPDATE contacts SET full_name = nullif(trim(coalesce(first_name, '') || ' ' || coalesce(last_name, '')), '')
  WHERE first_name IS NOT NULL OR last_name IS NOT NULL;
UPDATE contacts SET full_name_key = contactd_fold(full_name) WHERE full_name IS NOT NULL;
CREATE INDEX contacts_connected_full_name_key ON contacts (account_id, is_connected, full_name_key);
CREATE INDEX contacts_connected_status ON contacts (account_id, is_connected, status);
CREATE INDEX contacts_connected_preferred_contact_method
  ON contacts (account_id, is_connected, preferred_contact_method);
)sql",

    // 7: tags. The row keeps them as spelled (a JSON array, for reads); contact_tags holds one
    // entry per tag and contact by tag key (domain::TagKey), so that a tag filter reads its match
    // only; tags holds each account's tags as first spelled with their contact counts, kept by
    // the store in the same transaction as the change.
    R"sql(
ALTER TABLE contacts ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
CREATE TABLE contact_tags (
  account_id INTEGER NOT NULL,
  tag_key    TEXT NOT NULL,
  contact_id INTEGER NOT NULL,
  PRIMARY KEY (account_id, tag_key, contact_id)
) WITHOUT ROWID;
CREATE TABLE tags (
  account_id INTEGER NOT NULL,
  tag_key    TEXT NOT NULL,
  name       TEXT NOT NULL,
  contacts   INTEGER NOT NULL,
  PRIMARY KEY (account_id, tag_key)
) WITHOUT ROWID;
)sql",

    // 8: deleted contacts leave contacts (so that no query needs a "not deleted" term) for this
    // table: `data` holds a JSON snapshot of the row while it is restorable and is NULL once
    // erased; the row stays as a tombstone, so that an id (the rowid, the max of both tables plus
    // one for a new contact) is never given again.
    R"sql(
CREATE TABLE deleted_contacts (
  id         INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL,
  uid        TEXT NOT NULL,
  deleted_at INTEGER NOT NULL,
  data       TEXT
);
CREATE INDEX deleted_contacts_restorable ON deleted_contacts (account_id, id) WHERE data IS NOT NULL;
CREATE INDEX deleted_contacts_expiry ON deleted_contacts (deleted_at) WHERE data IS NOT NULL;
)sql",

    // 9: addresses, a JSON list whose first entry the flat address, city, state and zip columns
    // mirror (they keep their indexes); existing flat fields become the first address.
    R"sql(
ALTER TABLE contacts ADD COLUMN addresses TEXT NOT NULL DEFAULT '[]';
UPDATE contacts SET addresses = json_array(json_object('id', 1, 'line1', address, 'city', city,
                                                       'state', state, 'postal_code', zip))
  WHERE address IS NOT NULL OR city IS NOT NULL OR state IS NOT NULL OR zip IS NOT NULL;
-- Restorable snapshots get theirs too (as text, the way a snapshot holds a column).
UPDATE deleted_contacts SET data = json_set(data, '$.addresses',
    json_array(json_object('id', 1, 'line1', json_extract(data, '$.address'),
                           'city', json_extract(data, '$.city'),
                           'state', json_extract(data, '$.state'),
                           'postal_code', json_extract(data, '$.zip'))) || '')
  WHERE data IS NOT NULL AND json_type(data, '$.addresses') IS NULL
    AND coalesce(json_extract(data, '$.address'), json_extract(data, '$.city'),
                 json_extract(data, '$.state'), json_extract(data, '$.zip')) IS NOT NULL;
)sql",

    // 10: companies grow: website, phone, an address (JSON, as a contact's), tags (a JSON set)
    // and a status.
    R"sql(
ALTER TABLE companies ADD COLUMN website TEXT;
ALTER TABLE companies ADD COLUMN phone TEXT;
ALTER TABLE companies ADD COLUMN address TEXT;
ALTER TABLE companies ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
ALTER TABLE companies ADD COLUMN status TEXT NOT NULL DEFAULT 'active';
)sql",

    // 11: phone numbers by E.164 (phone= filters, duplicate checks and upserts look them up), and
    // each account's settings (a JSON object).
    R"sql(
CREATE TABLE contact_phones (
  account_id INTEGER NOT NULL,
  e164       TEXT NOT NULL,
  contact_id INTEGER NOT NULL,
  PRIMARY KEY (account_id, e164, contact_id)
) WITHOUT ROWID;
INSERT OR IGNORE INTO contact_phones (account_id, e164, contact_id)
  SELECT contacts.account_id, json_extract(phone.value, '$.e164'), contacts.id
  FROM contacts, json_each(contacts.phones) AS phone
  WHERE json_extract(phone.value, '$.e164') <> '';
ALTER TABLE accounts ADD COLUMN settings TEXT NOT NULL DEFAULT '{}';
)sql",

    // 12: search. Each contact is listed under its search words (domain::ContactSearchWords), by
    // account: a prefix of a word is a range of this index, so a search costs its match, and
    // deleting a contact deletes its entries exactly (no segments to merge, as FTS5 would keep).
    // Existing contacts are indexed by the store when it opens the file (the flag below), since
    // the words are the domain's, not SQL's.
    R"sql(
CREATE TABLE contact_words (
  account_id INTEGER NOT NULL,
  word       TEXT NOT NULL,
  contact_id INTEGER NOT NULL,
  PRIMARY KEY (account_id, word, contact_id)
) WITHOUT ROWID;
INSERT INTO settings (key, value) VALUES ('search_words_pending', '1');
)sql",

    // 13: tombstones of deleted companies, so that a company id is never given again (a deleted
    // contact that named it must not come back in another company).
    R"sql(
CREATE TABLE deleted_companies (
  id         INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL,
  deleted_at INTEGER NOT NULL
);
)sql",

    // 14: custom fields. A contact's values are a JSON object by key in its row (reads need no
    // definitions); contact_field_values lists each value under its field by the key filters
    // compare (domain::CustomIndexKeys), so that a filter costs its match. `value` has no type:
    // numbers stay numbers and compare as such, text stays text.
    R"sql(
CREATE TABLE custom_fields (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id INTEGER NOT NULL REFERENCES accounts (id),
  key        TEXT NOT NULL,
  name       TEXT NOT NULL,
  data_type  TEXT NOT NULL,
  options    TEXT NOT NULL DEFAULT '[]',
  rank       INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (account_id, key)
);
CREATE TABLE contact_field_values (
  account_id INTEGER NOT NULL,
  field_id   INTEGER NOT NULL,
  value      NOT NULL,
  contact_id INTEGER NOT NULL,
  PRIMARY KEY (account_id, field_id, value, contact_id)
) WITHOUT ROWID;
ALTER TABLE contacts ADD COLUMN custom_fields TEXT;
)sql",

    // 15: the account's lists of sources and hotness levels (seed 002). Their ids (and custom
    // fields', above) are never given again (AUTOINCREMENT), so that an id a deleted contact
    // kept cannot come back naming another item. A contact keeps its
    // source as text (seed 004) and the id of the listed source it names; its hotness level's
    // details are copied into the row (kept current when the level changes), so that reading a
    // contact stays one row. The partial indexes cost nothing to contacts without a value and
    // serve the source_id= and hotness_id= filters and the changes a list's edit makes.
    R"sql(
CREATE TABLE sources (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id INTEGER NOT NULL REFERENCES accounts (id),
  name       TEXT NOT NULL,
  name_key   TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (account_id, name_key)
);
CREATE TABLE hotness_levels (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id INTEGER NOT NULL REFERENCES accounts (id),
  name       TEXT NOT NULL,
  name_key   TEXT NOT NULL,
  rank       INTEGER NOT NULL DEFAULT 0,
  color      TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (account_id, name_key)
);
ALTER TABLE contacts ADD COLUMN source_id INTEGER;
ALTER TABLE contacts ADD COLUMN hotness_id INTEGER;
ALTER TABLE contacts ADD COLUMN hotness TEXT;
CREATE INDEX contacts_source_id ON contacts (account_id, source_id) WHERE source_id IS NOT NULL;
CREATE INDEX contacts_hotness_id ON contacts (account_id, hotness_id)
  WHERE hotness_id IS NOT NULL;
)sql",

    // 16: the reporting hierarchy (seed 003's metadata.reportsTo): a contact's manager is
    // another contact of its account. The partial index finds a manager's reports (lists,
    // subtrees, detaching them when the manager is deleted) and costs nothing to contacts
    // without a manager.
    R"sql(
ALTER TABLE contacts ADD COLUMN reports_to INTEGER;
CREATE INDEX contacts_reports_to ON contacts (account_id, reports_to)
  WHERE reports_to IS NOT NULL;
)sql",

    // 17: people (seeds 000, 002, 004). Users get a name, an email (one user per email in an
    // account) and a visibility. Tokens get an id (to list and revoke them by) and optional
    // scopes; their ids are never given again. A contact may be assigned to a user and shared
    // with users. The partial indexes find the contacts a user owns or is assigned, so that the
    // list of an `own` user costs what it sees, and cost nothing to contacts without them.
    R"sql(
ALTER TABLE users ADD COLUMN name TEXT;
ALTER TABLE users ADD COLUMN email TEXT;
ALTER TABLE users ADD COLUMN visibility TEXT NOT NULL DEFAULT 'account'
  CHECK (visibility IN ('account', 'own'));
ALTER TABLE users ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
UPDATE users SET updated_at = created_at;
CREATE UNIQUE INDEX users_account_email ON users (account_id, email COLLATE NOCASE)
  WHERE email IS NOT NULL;

CREATE TABLE tokens_v17 (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  hash       TEXT NOT NULL UNIQUE,
  user_id    INTEGER NOT NULL REFERENCES users (id),
  scopes     TEXT,
  created_at INTEGER NOT NULL
);
INSERT INTO tokens_v17 (hash, user_id, created_at)
  SELECT hash, user_id, created_at FROM tokens ORDER BY created_at, hash;
DROP TABLE tokens;
ALTER TABLE tokens_v17 RENAME TO tokens;
CREATE INDEX tokens_user ON tokens (user_id);

ALTER TABLE contacts ADD COLUMN assigned_user_id INTEGER;
CREATE INDEX contacts_owner ON contacts (account_id, owner_user_id)
  WHERE owner_user_id IS NOT NULL;
CREATE INDEX contacts_assigned ON contacts (account_id, assigned_user_id)
  WHERE assigned_user_id IS NOT NULL;
CREATE TABLE contact_shares (
  contact_id INTEGER NOT NULL,
  user_id    INTEGER NOT NULL,
  account_id INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (contact_id, user_id)
) WITHOUT ROWID;
CREATE INDEX contact_shares_user ON contact_shares (user_id, contact_id);
)sql",

    // 18: the outbox (seed 003's webhooks, the change feed): one row per change, written in the
    // change's own transaction. `data` is a JSON snapshot of the row after it (every column, as
    // deleted contacts keep them), so that each surface renders it in its own shape; NULL: an
    // erased object, its id only. `previous` holds, for an update, the old values of the
    // columns it wrote (a company's: its whole row before). A contact event keeps the
    // contact's owner and assignee, whom an `own` user's feed shows it. Ids are never given again:
    // they are the feed's cursors and the webhooks' message ids. A contact erased for good
    // leaves its earlier events without data (found by subject).
    R"sql(
CREATE TABLE events (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id       INTEGER NOT NULL,
  type             TEXT NOT NULL,
  created_at       INTEGER NOT NULL,
  subject_id       INTEGER NOT NULL,
  owner_user_id    INTEGER,
  assigned_user_id INTEGER,
  data             TEXT,
  previous         TEXT
);
CREATE INDEX events_account ON events (account_id, id);
-- Erasing a contact for good erases its data from its earlier events too.
CREATE INDEX events_subject ON events (account_id, subject_id);
)sql",

    // 19: webhook endpoints. A secret signs deliveries (so it is kept as is, unlike tokens); a
    // rotated-out one goes on signing, beside the new one, until previous_secret_until.
    // last_event_id is the endpoint's place in the outbox: later events are its to deliver.
    R"sql(
CREATE TABLE webhooks (
  id                    INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id            INTEGER NOT NULL REFERENCES accounts (id),
  url                   TEXT NOT NULL,
  events                TEXT NOT NULL,
  description           TEXT,
  enabled               INTEGER NOT NULL DEFAULT 1,
  disabled_reason       TEXT,
  format                TEXT NOT NULL DEFAULT 'native',
  secret                TEXT NOT NULL,
  previous_secret       TEXT,
  previous_secret_until INTEGER,
  last_event_id         INTEGER NOT NULL,
  failing_since         INTEGER,
  last_failure_at       INTEGER,
  created_at            INTEGER NOT NULL,
  updated_at            INTEGER NOT NULL
);
CREATE INDEX webhooks_account ON webhooks (account_id);
)sql",

    // 20: deliveries. One row per event (or ping) an endpoint is to receive, made when the worker
    // reads the outbox past the endpoint's last_event_id (in the same transaction that moves it),
    // so that nothing acknowledged is lost across a crash; due times in milliseconds. Each
    // attempt is kept for GET /webhooks/{id}/deliveries.
    R"sql(
CREATE TABLE deliveries (
  id              INTEGER PRIMARY KEY,
  webhook_id      INTEGER NOT NULL,
  event_id        INTEGER NOT NULL,
  kind            TEXT NOT NULL DEFAULT 'event',
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  state           TEXT NOT NULL DEFAULT 'pending',
  created_at      INTEGER NOT NULL
);
-- Each endpoint's next due delivery (so that one endpoint's backlog never hides another's).
CREATE INDEX deliveries_due ON deliveries (webhook_id, next_attempt_at) WHERE state = 'pending';
CREATE INDEX deliveries_created ON deliveries (created_at);
CREATE TABLE delivery_attempts (
  id           INTEGER PRIMARY KEY,
  delivery_id  INTEGER NOT NULL,
  webhook_id   INTEGER NOT NULL,
  event_id     INTEGER NOT NULL,
  attempted_at INTEGER NOT NULL,
  status_code  INTEGER,
  duration_ms  INTEGER NOT NULL,
  error        TEXT
);
CREATE INDEX delivery_attempts_webhook ON delivery_attempts (webhook_id, id);
CREATE INDEX delivery_attempts_time ON delivery_attempts (attempted_at);
)sql",

    // 21: a webhook's failing streak in milliseconds, like its deliveries' due times, so that a
    // scaled-down retry schedule (tests) keeps the 3-day rule exact.
    R"sql(
ALTER TABLE webhooks RENAME COLUMN failing_since TO failing_since_ms;
ALTER TABLE webhooks RENAME COLUMN last_failure_at TO last_failure_at_ms;
UPDATE webhooks SET failing_since_ms = failing_since_ms * 1000,
                    last_failure_at_ms = last_failure_at_ms * 1000;
)sql",

    // 22: an account's own request limits ("1000/h", "unlimited"; NULL: the server's default).
    R"sql(
ALTER TABLE accounts ADD COLUMN rate_limit TEXT;
ALTER TABLE accounts ADD COLUMN rate_burst TEXT;
)sql",

    // 23: versions, one more on each change of the row: strong ETags and If-Match.
    R"sql(
ALTER TABLE contacts ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE companies ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE webhooks ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
)sql",

    // 24: idempotency keys, per account and user. A claim ('running') is made in a write of its
    // own before the request runs; the answer ('done') is kept in the request's own transaction.
    // Times in milliseconds.
    R"sql(
CREATE TABLE idempotency_keys (
  account_id   INTEGER NOT NULL,
  user_id      INTEGER NOT NULL,
  key          TEXT NOT NULL,
  fingerprint  TEXT NOT NULL,
  state        TEXT NOT NULL,
  claim        TEXT,
  lease_until  INTEGER,
  status       INTEGER,
  content_type TEXT,
  body         TEXT,
  headers      TEXT,
  created_at   INTEGER NOT NULL,
  PRIMARY KEY (account_id, user_id, key)
) WITHOUT ROWID;
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
)sql",

    // 25: companies by name, case-insensitively (seed 002 names a contact's company): the
    // domain::FoldCase key of the name, indexed.
    R"sql(
ALTER TABLE companies ADD COLUMN name_key TEXT;
UPDATE companies SET name_key = contactd_fold(name);
CREATE INDEX companies_account_name_key ON companies (account_id, name_key);
)sql",
};

int UserVersion(Connection& connection) {
  static constexpr const char* kUserVersion = "PRAGMA user_version";
  Statement stmt = connection.Prepare(kUserVersion);
  stmt.Step();
  return static_cast<int>(stmt.Int(0));
}

}  // namespace

int LatestSchemaVersion() { return static_cast<int>(kMigrations.size()); }

void Migrate(Connection& connection, int target) {
  if (target < 0) target = LatestSchemaVersion();
  connection.Exec("PRAGMA journal_mode = WAL");
  int version = UserVersion(connection);
  if (version > LatestSchemaVersion()) {
    throw SqliteError(0, "the database has schema version " + std::to_string(version) +
                             ", newer than this contactd (" +
                             std::to_string(LatestSchemaVersion()) + "); upgrade contactd");
  }
  while (version < target) {
    Transaction transaction(connection, Transaction::Mode::kWrite);
    // Another process may have migrated between our read and our write lock.
    version = UserVersion(connection);
    if (version >= target) break;
    connection.Exec(kMigrations[version]);
    connection.Exec(("PRAGMA user_version = " + std::to_string(version + 1)).c_str());
    transaction.Commit();
    ++version;
  }
}

}  // namespace contactd::store::sqlite
