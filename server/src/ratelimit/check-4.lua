--[[
  check-4.lua: check every limit of one API key, then consume them all or nothing.
  One round trip per verify; Redis TIME is the clock unless a test passes ARGV nowMs. docs/RATE-LIMITING.md explains it.

  KEYS (all share the hash tag {<keyId>}, so the script runs on Redis Cluster)
    1 state  <prefix>:{<keyId>}:rl          hash: sliding windows, burst bucket, credits
    2 leases <prefix>:{<keyId>}:cc          zset: leaseId -> expiry ms
    3 adapt  <prefix>:{<keyId>}:adapt       string: factor 0.1..1 (absent = 1)
    4 usage  <prefix>:{<keyId>}:u:<minute>  hash: outcome code -> count

  ARGV (key-limits.ts builds it; S = static per KeyLimits, D = per call)
    1 D mode            0 = check and consume, 1 = status (no writes at all),
                        2 = consume even when over (after-the-fact costs from POST /v1/usage:
                            the work already happened; no outcome is counted in KEYS[4])
    2 D usageTtlSec     EXPIRE of KEYS[4], set when an outcome field is created
    3 S hashTtlMs       PEXPIRE of KEYS[1]; 0 = PERSIST (credits that never refill)
    4 S nWin            number of sliding windows
    5 S per window, 2 values: tag, limit. The tag names the window and its bucket
        geometry: s m h d = requests per second/minute/hour/day, Bd = bytes per day,
        x<s|m|h|d|M>:<name> = metered dimension
    . S burst           maxBurst (-1 = none), refillWindowMs
    . S credits         cap (-1 = none), refillAmount, refillEveryMs
    . S concurrency     limit (-1 = none)
    . D cost            for request windows, burst and credits
    . D bytes           for the Bd window
    . D leaseId ('' = no lease), leaseTtlMs
    . D nowMs           '' = read Redis TIME (production); epoch ms = a test's clock (hours of windows in ms)
    . D one cost per dimension window, in window order

  State in KEYS[1] (struct-packed little-endian doubles, one HMGET/HSET field each):
    <tag>        total, oldest non-empty bucket (0 = none), current bucket, its count
    <tag>:<idx>  count of a finished bucket, written once when the current bucket moves
    b            burst tokens, last refill ms        c  credits, last refill ms

  Reply: { allowed 1|0, failIdx (1-based component, 0 = none), retryAfterMs (-1 = never),
           nowMs, then per component: limit, remaining, resetMs }
  Components in order: windows (ARGV order), burst, credits, concurrency (when configured).
]]

local dry = ARGV[1] == '1'
local force = ARGV[1] == '2'
local nWin = tonumber(ARGV[4])
local p = 5 + 2 * nWin
local bMax, bWin = tonumber(ARGV[p]), tonumber(ARGV[p + 1])
local cCap, cAmt, cEvery = tonumber(ARGV[p + 2]), tonumber(ARGV[p + 3]), tonumber(ARGV[p + 4])
local ccLim = tonumber(ARGV[p + 5])
local reqCost, bytes = tonumber(ARGV[p + 6]), tonumber(ARGV[p + 7])
local leaseId, leaseTtl = ARGV[p + 8], tonumber(ARGV[p + 9])
local now = tonumber(ARGV[p + 10])
if not now then local t = redis.call('TIME'); now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) end
local dimArg = p + 11
local pack, unpk, fmt, sub = struct.pack, struct.unpack, string.format, string.sub

local factor = 1
if nWin > 0 or bMax >= 0 or ccLim >= 0 then
  factor = tonumber(redis.call('GET', KEYS[3]) or '1') or 1
  if factor > 1 then factor = 1 elseif factor < 0.1 then factor = 0.1 end
end
local function scaled(limit)
  if factor >= 1 or limit < 1 then return limit end
  return math.max(1, math.floor(limit * factor))
end

-- Read phase: one HMGET of every window's packed state, burst and credits.
local tags, L, gs, ns, quota, costs = {}, {}, {}, {}, {}, {}
local fields = {}
for i = 1, nWin do
  local tag, limit = ARGV[3 + 2 * i], tonumber(ARGV[4 + 2 * i])
  local kind = sub(tag, 1, 1)
  local w = kind
  if kind == 'x' then
    w, costs[i] = sub(tag, 2, 2), tonumber(ARGV[dimArg]); dimArg = dimArg + 1
    quota[i], limit = true, scaled(limit)
  elseif kind == 'B' then
    w, costs[i], quota[i] = sub(tag, 2, 2), bytes, true
  else
    costs[i], limit = reqCost, scaled(limit)
  end
  -- Bucket ms and buckets per window; mirrors WINDOWS in key-limits.ts.
  if w == 's' then gs[i], ns[i] = 100, 10
  elseif w == 'm' then gs[i], ns[i] = 1000, 60
  elseif w == 'h' then gs[i], ns[i] = 60000, 60
  elseif w == 'd' then gs[i], ns[i] = 1800000, 48
  else gs[i], ns[i] = 86400000, 30 end
  tags[i], L[i], fields[i] = tag, limit, tag
end
if bMax >= 0 then fields[#fields + 1] = 'b' end
if cCap >= 0 then fields[#fields + 1] = 'c' end
local vals = {}
if #fields > 0 then vals = redis.call('HMGET', KEYS[1], unpack(fields)) end

local hset, hdel = {}, {}
local failIdx, failRank, failRetry = 0, -1, 0
local function fail(idx, retry)
  local rank = retry
  if retry < 0 then rank = math.huge end
  if rank > failRank then failIdx, failRank, failRetry = idx, rank, retry end
end

-- Visit buckets from..c of one window in chunked HMGETs, with each bucket's count wherever
-- it lives (current, pending, or its own field); fn(k, count, field) returns true to stop.
local function scan(tag, c, idx, cnt, pend, pendV, from, fn)
  local j, chunk = from, 8
  while j <= c do
    local last = math.min(j + chunk - 1, c)
    local f = {}
    for k = j, last do f[#f + 1] = fmt('%s:%d', tag, k) end
    local v = redis.call('HMGET', KEYS[1], unpack(f))
    for k = j, last do
      local x
      if k == idx then x = cnt elseif k == pend then x = pendV else x = tonumber(v[k - j + 1]) or 0 end
      if fn(k, x, f[k - j + 1]) then return end
    end
    j, chunk = last + 1, chunk * 2
  end
end

-- Sliding windows. Per window: tot, old (oldest non-empty bucket), idx/cnt (current
-- bucket, kept in the packed field) and pend/pendV (the previous current bucket, to be
-- written as its own field if it still counts).
local W = {}
for i = 1, nWin do
  local tag, n, g = tags[i], ns[i], gs[i]
  local c = math.floor(now / g)
  local tot, old, idx, cnt = 0, 0, 0, 0
  if vals[i] then tot, old, idx, cnt = unpk('<dddd', vals[i]) end
  if c < idx then c = idx end -- clock stepped back: keep counting in the newest bucket
  local pend, pendV = 0, 0
  if idx ~= c then
    if cnt > 0 then pend, pendV = idx, cnt end
    idx, cnt = c, 0
  end
  local lo, pruned = c - n, false
  if tot <= 0 or old <= 0 then
    tot, old, pend, cnt = 0, 0, 0, 0
  elseif old <= lo then
    pruned = true
    if old + n - 1 <= lo then
      for k = old, old + n - 1 do hdel[#hdel + 1] = fmt('%s:%d', tag, k) end
      tot, old, pend = 0, 0, 0
    else
      local found = 0
      scan(tag, c, idx, cnt, pend, pendV, old, function(k, v, f)
        if k <= lo then
          if k == pend then pend = 0 elseif v ~= 0 then hdel[#hdel + 1] = f end
          tot = tot - v
          return tot <= 0
        end
        if v > 0 then found = k; return true end
        return false
      end)
      if found == 0 or tot <= 0 then tot, found, pend, cnt = 0, 0, 0, 0 end
      old = found
    end
  end
  W[i] = { tot, old, idx, cnt, pend, pendV, pruned }
  local cost, limit = costs[i], L[i]
  if cost > 0 and tot + cost > limit then
    local retry, excess, acc = -1, tot + cost - limit, 0
    if cost <= limit and excess <= 1 then
      retry = (old + n) * g - now -- the oldest bucket is non-empty: no read needed
    elseif cost <= limit then
      scan(tag, c, idx, cnt, pend, pendV, old, function(k, v)
        acc = acc + v
        if acc >= excess then retry = (k + n) * g - now; return true end
        return false
      end)
    end
    fail(i, retry)
  end
end
local nComp = nWin

-- Token bucket.
local bIdx, bV, bM
if bMax >= 0 then
  nComp = nComp + 1; bIdx = nComp
  bM = scaled(bMax)
  local rate = bM / bWin
  local v, ts
  if vals[nWin + 1] then v, ts = unpk('<dd', vals[nWin + 1]) end
  if v == nil then v = bM elseif now > ts then v = v + (now - ts) * rate end
  if v > bM then v = bM end
  bV = v
  if reqCost > 0 and reqCost > v then
    if reqCost > bM then fail(bIdx, -1) else fail(bIdx, math.ceil((reqCost - v) / rate)) end
  end
end

-- Credits: refilled lazily, whole periods only.
local cIdx, cV, cTs
if cCap >= 0 then
  nComp = nComp + 1; cIdx = nComp
  local v, ts
  local raw = vals[nWin + (bIdx and 2 or 1)]
  if raw then v, ts = unpk('<dd', raw) end
  if v == nil then v = cCap end
  if ts == nil or ts > now then ts = now end
  if cAmt > 0 and now >= ts + cEvery then
    local periods = math.floor((now - ts) / cEvery)
    v = math.max(v, math.min(cCap, v + periods * cAmt))
    ts = ts + periods * cEvery
  end
  cV, cTs = v, ts
  if reqCost > 0 and reqCost > v then
    if cAmt > 0 and reqCost <= cCap then
      fail(cIdx, ts + math.ceil((reqCost - v) / cAmt) * cEvery - now)
    else
      fail(cIdx, -1)
    end
  end
end

-- Concurrency leases: prune expired, count, check.
local ccIdx, ccK, ccN
if ccLim >= 0 then
  nComp = nComp + 1; ccIdx = nComp
  ccK = scaled(ccLim)
  if dry then
    ccN = redis.call('ZCOUNT', KEYS[2], '(' .. now, '+inf')
  else
    redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
    ccN = redis.call('ZCARD', KEYS[2])
  end
  if leaseId ~= '' and ccN + 1 > ccK then
    local first = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
    if ccK < 1 or not first[2] then fail(ccIdx, -1) else fail(ccIdx, math.max(0, tonumber(first[2]) - now)) end
  end
end

local out = { failIdx == 0 and 1 or 0, failIdx, failIdx == 0 and 0 or failRetry, now }
local allowed = failIdx == 0 or force

-- Apply phase: everything or nothing (pruning is bookkeeping and always saved).
for i = 1, nWin do
  local n, g, w = ns[i], gs[i], W[i]
  local tot, old, idx, cnt, pend, pendV, pruned = w[1], w[2], w[3], w[4], w[5], w[6], w[7]
  local cost = costs[i]
  if allowed and cost > 0 then
    tot, cnt = tot + cost, cnt + cost
    if old == 0 or idx < old then old = idx end
    pruned = true
  end
  if pruned then -- state changed: save it, with the bucket that just stopped being current
    hset[#hset + 1] = tags[i]; hset[#hset + 1] = pack('<dddd', tot, old, idx, cnt)
    if pend > 0 then hset[#hset + 1] = fmt('%s:%d', tags[i], pend); hset[#hset + 1] = pendV end
  end
  local reset = n * g
  if tot > 0 then reset = (old + n) * g - now end
  out[#out + 1] = L[i]; out[#out + 1] = math.max(0, L[i] - tot); out[#out + 1] = reset
end
if bIdx then
  if allowed then
    bV = bV - reqCost
    hset[#hset + 1] = 'b'; hset[#hset + 1] = pack('<dd', bV, now)
  end
  local full = 0
  if bM > 0 then full = math.ceil((bM - bV) / (bM / bWin)) end
  out[#out + 1] = bM; out[#out + 1] = math.max(0, math.floor(bV)); out[#out + 1] = full
end
if cIdx then
  if allowed then
    cV = cV - reqCost
    hset[#hset + 1] = 'c'; hset[#hset + 1] = pack('<dd', cV, cTs)
  end
  local reset = 0
  if cAmt > 0 then reset = cTs + cEvery - now end
  out[#out + 1] = cCap; out[#out + 1] = math.max(0, cV); out[#out + 1] = reset
end
if ccIdx then
  if allowed and leaseId ~= '' and not dry then
    redis.call('ZADD', KEYS[2], now + leaseTtl, leaseId)
    redis.call('PEXPIRE', KEYS[2], 3600000)
    ccN = ccN + 1
  end
  out[#out + 1] = ccK; out[#out + 1] = math.max(0, ccK - ccN); out[#out + 1] = 0
end

if not dry then
  if #hdel > 0 then redis.call('HDEL', KEYS[1], unpack(hdel)) end
  if #hset > 0 then
    redis.call('HSET', KEYS[1], unpack(hset))
    local ttl = tonumber(ARGV[3])
    if ttl > 0 then redis.call('PEXPIRE', KEYS[1], ttl) else redis.call('PERSIST', KEYS[1]) end
  end
  local code = 'VALID'
  if force then code = nil
  elseif not allowed then
    if failIdx == ccIdx then code = 'CONCURRENCY_LIMITED'
    elseif failIdx == cIdx then code = 'QUOTA_EXCEEDED'
    elseif failIdx <= nWin and quota[failIdx] then code = 'QUOTA_EXCEEDED'
    else code = 'RATE_LIMITED' end
  end
  if code and redis.call('HINCRBY', KEYS[4], code, 1) == 1 then redis.call('EXPIRE', KEYS[4], ARGV[2]) end
end
return out
