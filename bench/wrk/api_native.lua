-- Requests of contactd's native API (/api/external/v2). See scenario.lua for the interface.
local M = {}
local base = "/api/external/v2/contacts"

function M.get_by_id(id) return "GET", base .. "/" .. id end
function M.list_default() return "GET", base .. "?limit=50" end
function M.filter_last_name(name) return "GET", base .. "?limit=50&last_name=" .. name end
function M.filter_state_in(states)
  local query = {}
  for _, state in ipairs(states) do query[#query + 1] = "state[$in]=" .. state end
  return "GET", base .. "?limit=50&" .. table.concat(query, "&")
end
function M.filter_created(from, to)
  return "GET", base .. "?limit=50&created_at[$gte]=" .. from .. "&created_at[$lt]=" .. to
end
function M.sort_offset(field, offset)
  return "GET", base .. "?limit=50&sort=" .. field .. "&offset=" .. offset
end
function M.cursor_page(after_id, cursor) return "GET", base .. "?limit=50&cursor=" .. cursor end

local function digits(n)
  local text = {}
  for i = 1, n do text[i] = tostring(math.random(0, 9)) end
  return table.concat(text)
end
function M.create_body()
  local n = digits(6)
  return '{"contact_type":"lender_contact","company_id":' .. (os.getenv("BENCH_COMPANY_ID") or "1") ..
    ',"first_name":"Bench","last_name":"Writer' .. n ..
    '","email":"bench' .. n .. '@example.com","title":"Analyst","state":"NY",' ..
    '"phones":[{"raw":"(212) 55' .. digits(1) .. '-' .. digits(4) .. '","type":"office"},' ..
    '{"raw":"+1 917 4' .. digits(2) .. ' ' .. digits(4) .. '","type":"mobile"}]}'
end
function M.create() return "POST", base, M.create_body() end
function M.search(prefix) return "GET", base .. "?limit=50&search=" .. prefix end
-- The token is an `own` user's: the list holds only the contacts it sees.
function M.list_own() return "GET", base .. "?limit=50" end
function M.filter_tag(tag) return "GET", base .. "?limit=50&tags=" .. tag end
function M.filter_custom(industry)
  return "GET", base .. "?limit=50&custom_fields.industry=" .. industry
end
function M.upsert(n)
  return "POST", base .. "/upsert",
    '{"contact_type":"sponsor","company_id":' .. (os.getenv("BENCH_COMPANY_ID") or "1") ..
    ',"email":"upsert' .. n .. '@example.com","title":"Analyst","match_on":["email"]}'
end
-- Seed 003's list (/api/v1) at page 1,000 of 20: creation order, or (`sorted`) by name.
function M.v1_page(sorted)
  return "GET", "/api/v1/contacts?page=1000&limit=20" .. (sorted and "&orderBy=name" or "")
end
function M.patch(id, title) return "PATCH", base .. "/" .. id, '{"title":"' .. title .. '"}' end

return M
