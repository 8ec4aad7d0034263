-- Request builders for the Directus peer (bench/peers/directus): each returns method, path, body.
-- The harness adds the Authorization and Content-Type headers. Directus serves the collection
-- as /items/contacts; filters use the bracket syntax, percent-encoded.
--
-- created_at/updated_at are unix-second integers, as in contactd's database (see prepare), so the
-- ISO bounds of filter_created are turned into seconds here.
--
-- contactd's lists return connected contacts only unless asked otherwise; to compare the same
-- result sets every list here filters on is_connected = true as well. Set
-- M.connected_only = false to send the filters alone.
local M = {}

M.connected_only = true
M.base = "/items/contacts"

local function enc(s)
  return (tostring(s):gsub("[^%w%-%._~]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end

-- filter[a][b]=value, brackets encoded.
local function f(field, op, value)
  return "filter%5B" .. field .. "%5D%5B" .. op .. "%5D=" .. enc(value)
end

local CONNECTED = f("is_connected", "_eq", "true")

local function list(parts)
  if M.connected_only then table.insert(parts, 1, CONNECTED) end
  return "GET", M.base .. "?" .. table.concat(parts, "&"), nil
end

-- Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
local function days_from_civil(y, m, d)
  if m <= 2 then y = y - 1 end
  local era = math.floor(y / 400)
  local yoe = y - era * 400
  local mp = (m + 9) % 12
  local doy = math.floor((153 * mp + 2) / 5) + d - 1
  local doe = yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
end

-- "2020-01-01", "2020-01-01T10:20:30Z" or "...+02:00" to unix seconds; numbers pass through.
function M.iso_to_unix(iso)
  if type(iso) == "number" then return iso end
  local y, mo, d, rest = iso:match("^(%d%d%d%d)-(%d%d)-(%d%d)(.*)$")
  if not y then error("not an ISO date: " .. tostring(iso)) end
  local h, mi, s, tz = rest:match("^[T ](%d%d):(%d%d):?(%d*)%.?%d*(.*)$")
  local t = days_from_civil(tonumber(y), tonumber(mo), tonumber(d)) * 86400
  if h then
    t = t + tonumber(h) * 3600 + tonumber(mi) * 60 + (tonumber(s) or 0)
    local sign, oh, om = tz:match("^([+-])(%d%d):?(%d%d)$")
    if sign then
      local off = tonumber(oh) * 3600 + tonumber(om) * 60
      if sign == "+" then t = t - off else t = t + off end
    end
  end
  return t
end

function M.get_by_id(id)
  return "GET", M.base .. "/" .. id, nil
end

function M.list_default()
  return list({ "limit=50", "meta=filter_count" })
end

function M.filter_last_name(name)
  return list({ f("last_name", "_eq", name), "limit=50", "meta=filter_count" })
end

function M.filter_state_in(states)
  return list({ f("state", "_in", table.concat(states, ",")), "limit=50", "meta=filter_count" })
end

function M.filter_created(from_iso, to_iso)
  return list({ f("created_at", "_gte", M.iso_to_unix(from_iso)),
                f("created_at", "_lt", M.iso_to_unix(to_iso)), "limit=50", "meta=filter_count" })
end

-- field may start with "-" for descending; id breaks ties, as in contactd.
function M.sort_offset(field, offset)
  local tie = field:sub(1, 1) == "-" and "-id" or "id"
  if field == "id" or field == "-id" then
    return list({ "sort=" .. field, "offset=" .. (offset or 0), "limit=50" })
  end
  return list({ "sort=" .. enc(field) .. "," .. tie, "offset=" .. (offset or 0), "limit=50" })
end

function M.cursor_page(after_id)
  return list({ f("id", "_gt", after_id or 0), "sort=id", "limit=50" })
end

local created = 0
local tag = tostring({}):match("0x(%x+)") or "0"

function M.create()
  created = created + 1
  local now = os.time()
  local n = string.format("%04d", created % 10000)
  local body = '{"contact_type":"lender_contact","company_id":1,'
    .. '"first_name":"Bench","last_name":"Writer","email":"bench' .. tag .. "-" .. created
    .. '@example.com","title":"Vice President","department":"Originations",'
    .. '"address":"1 Main St","city":"New York","state":"NY","zip":"10001",'
    .. '"phones":[{"type":"office","raw":"(212) 555-' .. n .. '","country":"US",'
    .. '"e164":"+1212555' .. n .. '","extension":""},'
    .. '{"type":"mobile","raw":"(917) 555-' .. n .. '","country":"US",'
    .. '"e164":"+1917555' .. n .. '","extension":""}],'
    .. '"is_primary":false,"is_connected":true,'
    .. '"created_at":' .. now .. ',"updated_at":' .. now .. '}'
  return "POST", M.base, body
end

function M.patch(id, title)
  local t = tostring(title):gsub('[%c"\\]', function(c)
    if c == '"' then return '\\"' elseif c == "\\" then return "\\\\" end
    return string.format("\\u%04x", string.byte(c))
  end)
  return "PATCH", M.base .. "/" .. id, '{"title":"' .. t .. '","updated_at":' .. os.time() .. '}'
end

return M
