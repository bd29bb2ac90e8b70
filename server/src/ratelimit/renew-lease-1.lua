--[[
  Renews a concurrency lease, by Redis TIME, only while it is still held.
  KEYS[1] <prefix>:{<keyId>}:cc   zset: leaseId -> expiry ms (as written by check-4.lua)
  ARGV[1] leaseId
  ARGV[2] new lease TTL in ms
  Reply: the new expiry in epoch ms, or 0 when the lease had expired or was released
  (the slot may already belong to someone else: the client must acquire again).
]]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local exp = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not exp or tonumber(exp) <= now then
  if exp then redis.call('ZREM', KEYS[1], ARGV[1]) end
  return 0
end
local nextExp = now + tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], nextExp, ARGV[1])
redis.call('PEXPIRE', KEYS[1], 3600000)
return nextExp
