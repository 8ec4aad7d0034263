-- One wrk scenario against one system. Parameters come from the environment (wrk passes no
-- arguments to per-thread states before init, and every thread reads the same variables):
--   BENCH_SCENARIO  get_by_id | list_default | filter_last_name | filter_state_in |
--                   filter_created | sort_offset | cursor_deep | create | patch | mixed |
--                   search | filter_tag | upsert | filter_custom | search_selective | list_own
--                   | v1_deep | v1_deep_sorted (these: contactd and fastify) | static
--   BENCH_API       native | fastify | directus   (which api_<name>.lua builds the requests)
--   BENCH_TOKEN     bearer token (peers without auth ignore it)
--   BENCH_MIN_ID, BENCH_MAX_ID   id range of the big account's contacts
--   BENCH_AFTER_ID, BENCH_CURSOR the keyset position at depth 500,000 (id and native cursor)
--   BENCH_COMPANY_ID a company of the big account, for creates
-- At the end it prints one line "BENCH_RESULT {json}" that bench/run reads.
local dir = os.getenv("BENCH_WRK_DIR") or "bench/wrk"
local scenario = os.getenv("BENCH_SCENARIO") or "get_by_id"
local api = dofile(dir .. "/api_" .. (os.getenv("BENCH_API") or "native") .. ".lua")
local token = os.getenv("BENCH_TOKEN") or ""
local min_id = tonumber(os.getenv("BENCH_MIN_ID") or "1")
local max_id = tonumber(os.getenv("BENCH_MAX_ID") or "1000")
local after_id = tonumber(os.getenv("BENCH_AFTER_ID") or "0")
local cursor = os.getenv("BENCH_CURSOR") or ""

-- The same vocabularies bench/gen draws from, so that filters hit real rows.
local last_names = {"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
  "Rodriguez", "Martinez", "Chen", "Patel", "Kim", "Schmidt", "Nguyen", "Lee", "Tanaka", "Cohen"}
local tags = {"vip", "lead", "buyer", "seller", "referral", "newsletter", "cold", "warm", "hot",
  "investor", "lender", "sponsor", "broker", "q1-2026", "q2-2026", "conference", "webinar",
  "partner", "prospect", "churned", "renewal", "upsell", "priority", "follow-up"}
-- bench/gen's industries (spaces as %20).
local industries = {"Multifamily", "Office", "Retail", "Industrial", "Hospitality", "Healthcare",
  "Self%20Storage", "Data%20Centers"}
local states = {"NY", "CA", "IL", "TX", "AZ", "PA", "MA", "WA", "CO", "FL", "GA", "NC", "TN"}
local titles = {"Managing Director", "Senior Vice President", "Vice President", "Director",
  "Associate", "Analyst", "Principal", "Partner"}
-- created_at spans 2021-11-01 .. 2026-10-31: a random month in it.
local span_start, span_days = os.time({year = 2021, month = 11, day = 1, hour = 0}), 5 * 365 - 31

local function iso(t) return os.date("!%Y-%m-%dT%H:%M:%SZ", t) end
local function pick(list) return list[math.random(#list)] end
local function random_id() return math.random(min_id, max_id) end

local builders = {
  static = function() return "GET", "/contact.json" end,
  get_by_id = function() return api.get_by_id(random_id()) end,
  list_default = function() return api.list_default() end,
  filter_last_name = function() return api.filter_last_name(pick(last_names)) end,
  filter_state_in = function()
    local a = math.random(#states)
    local b = a % #states + 1
    return api.filter_state_in({states[a], states[b]})
  end,
  filter_created = function()
    local from = span_start + math.random(0, span_days) * 86400
    return api.filter_created(iso(from), iso(from + 30 * 86400))
  end,
  sort_offset = function() return api.sort_offset("last_name", 10000) end,
  cursor_deep = function() return api.cursor_page(after_id, cursor) end,
  create = function() return api.create() end,
  search = function() return api.search(string.lower(string.sub(pick(last_names), 1, 3))) end,
  filter_tag = function() return api.filter_tag(pick(tags)) end,
  filter_custom = function() return api.filter_custom(pick(industries)) end,
  -- bench/gen's emails start with the first name's initial, the last name and 1-9999.
  search_selective = function()
    return api.search(string.char(math.random(97, 122)) .. string.lower(pick(last_names)) ..
      math.random(100, 999))
  end,
  upsert = function() return api.upsert(math.random(1, 1000)) end,
  list_own = function() return api.list_own() end,
  v1_deep = function() return api.v1_page(false) end,
  v1_deep_sorted = function() return api.v1_page(true) end,
  patch = function() return api.patch(random_id(), pick(titles)) end,
}
builders.mixed = function()
  local r = math.random(100)
  if r <= 60 then return builders.get_by_id() end
  if r <= 75 then return builders.filter_last_name() end
  if r <= 90 then return builders.list_default() end
  if r <= 95 then return builders.create() end
  return builders.patch()
end
local build = assert(builders[scenario], "unknown scenario " .. scenario)

local thread_counter = 0
function setup(thread)
  thread_counter = thread_counter + 1
  thread:set("seed", thread_counter)
end

function init(args)
  math.randomseed(os.time() * 1000 + (seed or 0))
  wrk.headers["Authorization"] = "Bearer " .. token
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  local method, path, body = build()
  return wrk.format(method, path, nil, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  print(string.format(
    'BENCH_RESULT {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"max_us":%d,' ..
    '"errors_connect":%d,"errors_read":%d,"errors_write":%d,"errors_status":%d,"errors_timeout":%d}',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
