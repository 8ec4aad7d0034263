-- Requests of the fastify + better-sqlite3 peer: the native URLs, but its keyset position is a
-- plain id (it has no signed cursors).
local M = dofile((os.getenv("BENCH_WRK_DIR") or "bench/wrk") .. "/api_native.lua")

function M.cursor_page(after_id)
  return "GET", "/api/external/v2/contacts?limit=50&after_id=" .. after_id
end

-- No users: the same rows as a plain filter on the column.
function M.list_own()
  return "GET", "/api/external/v2/contacts?limit=50&assigned_user_id=" .. os.getenv("BENCH_OWN_USER")
end

-- The same page of every contact (connected or not), in id order, through offset.
function M.v1_page()
  return "GET", "/api/external/v2/contacts?is_connected=all&limit=20&offset=19980"
end

return M
