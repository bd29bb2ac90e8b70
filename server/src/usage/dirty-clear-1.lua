--[[
  dirty-clear-1.lua: remove folded members from the usage dirty index, but only those
  not written again since the fold read them (their score is still the one it saw), so
  a late write that races the fold keeps its member and is folded next time.

  KEYS  1 dirty  <prefix>:u:dirty   zset: "<orgId>|<keyId>|<minute>" -> ms of last write
  ARGV  pairs of member, score (as the fold read them)
  Reply number of members removed
]]
local removed = 0
for i = 1, #ARGV, 2 do
  local s = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if s and tonumber(s) == tonumber(ARGV[i + 1]) then
    removed = removed + redis.call('ZREM', KEYS[1], ARGV[i])
  end
end
return removed
