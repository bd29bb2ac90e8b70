--[[
  ewma-1.lua: fold one closed minute of a key's traffic into its own baseline (an
  exponentially weighted mean and variance) and judge the minute against the baseline
  as it stood before. Idempotent: a minute at or before the last one folded is ignored.

  KEYS  1 state   <prefix>:ewma:{<keyId>}   hash: m (mean), v (variance), n (samples), t (last minute)
  ARGV  1 minute  epoch minute being folded
        2 x       requests in that minute
        3 alpha   weight of the newest minute (0..1)
        4 ttlSec  EXPIRE of the state
  Reply { folded 1|0, mean before, stddev before, samples before } (numbers as strings)
]]
local minute, x, a = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local s = redis.call('HMGET', KEYS[1], 'm', 'v', 'n', 't')
local m, v, n, t = tonumber(s[1]) or 0, tonumber(s[2]) or 0, tonumber(s[3]) or 0, tonumber(s[4]) or -1
if t >= minute then return { 0, tostring(m), tostring(math.sqrt(v)), tostring(n) } end
-- Minutes without traffic since the last fold count as zeros: decay in closed form.
if t >= 0 and minute - t > 1 then
  local gap = math.min(minute - t - 1, 100000)
  local keep = (1 - a) ^ gap
  v = keep * (v + (1 - keep) * m * m)
  m = m * keep
  n = n + gap
end
local mean, sd, samples = m, math.sqrt(v), n
local d = x - m
local inc = a * d
m = m + inc
v = (1 - a) * (v + d * inc)
redis.call('HSET', KEYS[1], 'm', tostring(m), 'v', tostring(v), 'n', n + 1, 't', minute)
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[4]))
return { 1, tostring(mean), tostring(sd), tostring(samples) }
