--[[
  renew-owned-1.lua: extend a lease only while we still own it (archive-lease.ts).

  KEYS  1 lease  the lease key
  ARGV  1 token  the random value written by SET NX when it was taken
        2 ttlMs  the new time to live in ms
  Reply 1 when extended, 0 when the lease is gone or belongs to someone else
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
