--[[
  release-owned-1.lua: delete a lock or lease only while we still own it, so a holder
  whose TTL ran out cannot release what another node has taken since.

  KEYS  1 lock   <prefix>:lock:{<entityId>} (entity-lock.ts) or an archival lease key
  ARGV  1 token  the random value written by SET NX when it was taken
  Reply 1 when deleted, 0 when the key is gone or belongs to someone else
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
