-- wrk script for bench/pki: POSTs pre-built DER OCSP requests in turn, as application/ocsp-request.
--   wrk -s ocsp.lua URL -- REQUESTS_FILE [close]
-- REQUESTS_FILE holds one request per line, hex-encoded. "close" sends Connection: close, so that every request
-- opens a new TCP connection (what openssl ocsp's responder does whatever the client asks).
-- The last line wrk prints is "wrk-result ..." with the figures the benchmark reads.

local threads = {}

function setup(thread)
  thread:set("offset", #threads * 7919)
  table.insert(threads, thread)
end

local bodies = {}
local index = 0
local headers = { ["Content-Type"] = "application/ocsp-request" }

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then
      bodies[#bodies + 1] = (line:gsub("..", function(h) return string.char(tonumber(h, 16)) end))
    end
  end
  if args[2] == "close" then
    headers["Connection"] = "close"
  end
  index = (offset or 0) % #bodies
end

function request()
  index = index % #bodies + 1
  return wrk.format("POST", nil, headers, bodies[index])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("wrk-result requests=%d duration_us=%d status=%d connect=%d read=%d write=%d timeout=%d p50_us=%d p99_us=%d\n",
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
