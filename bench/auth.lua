-- wrk script: send the header given in BENCH_HEADER ("Authorization: Bearer ..." or "Cookie: ...").
local header = os.getenv("BENCH_HEADER")
local name, value = header:match("^([^:]+):%s*(.+)$")
wrk.headers[name] = value
