--[[
  alert-count-1.lua: add occurrences to one de-duplicated alert, atomically across nodes.

  KEYS  1 counter  <prefix>:alr:<orgId>:<dedupeKey>   hash: n (count), f (first ms), l (last ms)
  ARGV  1 n        occurrences to add
        2 at       ms of the newest occurrence
        3 first    ms of the oldest occurrence in this batch
        4 ttlSec   EXPIRE of the counter (two dedupe windows)
  Reply { total count, first seen ms, last seen ms }
]]
local total = redis.call('HINCRBY', KEYS[1], 'n', tonumber(ARGV[1]))
redis.call('HSETNX', KEYS[1], 'f', ARGV[3])
local first = tonumber(redis.call('HGET', KEYS[1], 'f'))
if tonumber(ARGV[3]) < first then
  first = tonumber(ARGV[3])
  redis.call('HSET', KEYS[1], 'f', ARGV[3])
end
local last = tonumber(redis.call('HGET', KEYS[1], 'l') or '0')
if tonumber(ARGV[2]) > last then
  last = tonumber(ARGV[2])
  redis.call('HSET', KEYS[1], 'l', ARGV[2])
end
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[4]))
return { total, first, last }
