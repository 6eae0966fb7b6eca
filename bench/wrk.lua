-- wrk's script for `make bench` (bench/load.py writes SPEC above this and runs `wrk -s`).
--
-- SPEC = {method, path, headers, parts, run}: the body is the parts in order, each a file's bytes read once,
-- or "@TOKEN@" (a fresh form token, a UUID) or "@MOBILE@" (a fresh mainland mobile), so every filing is
-- a new person's first: the dedupe and the per-mobile limits see what a crowd of phones would give them.
-- Every request carries its own X-Real-IP, as nginx passes each phone's address (CLIENT_IP_HEADER).
-- "@VIEW@" in the path becomes a value of its own per request: a list's first view, never one stored before.

local threads = 0

function setup(thread)
   thread:set("tid", threads)
   threads = threads + 1
end

local pieces = {}
local count = 0

function init(args)
   for i, part in ipairs(SPEC.parts) do
      if part == "@TOKEN@" or part == "@MOBILE@" then
         pieces[i] = part
      else
         local file = assert(io.open(part, "rb"))
         pieces[i] = file:read("*a")
         file:close()
      end
   end
end

function request()
   count = count + 1
   local headers = {}
   for name, value in pairs(SPEC.headers) do
      headers[name] = value
   end
   headers["X-Real-IP"] = string.format("%d.%d.%d.%d", 10 + tid, SPEC.run % 250, math.floor(count / 250) % 250,
                                        count % 250 + 1)
   local body = nil
   if #pieces > 0 then
      local out = {}
      for i, piece in ipairs(pieces) do
         if piece == "@TOKEN@" then
            out[i] = string.format("%08x-%04x-4000-8000-%012x", SPEC.run, tid, count)
         elseif piece == "@MOBILE@" then
            out[i] = string.format("13%03d%d%05d", SPEC.run % 1000, tid % 10, count % 100000)
         else
            out[i] = piece
         end
      end
      body = table.concat(out)
   end
   local path = SPEC.path:gsub("@VIEW@", string.format("%d-%d-%d", SPEC.run, tid, count))
   return wrk.format(SPEC.method, path, headers, body)
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      'BENCH {"requests": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d, "status": %d, ' ..
      '"timeout": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d}\n',
      summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
      latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
