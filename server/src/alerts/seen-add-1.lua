--[[
  seen-add-1.lua: remember that a key was used from a network (or country) and say
  whether that is news, atomically so two nodes never both call the same one new.

  KEYS  1 seen   <prefix>:seen:{<keyId>}:<net|cc>   set of networks or country codes
  ARGV  1 value  the network ("203.0.113.0/24") or country ("GB")
        2 cap    stop remembering past this many (a key used from everywhere)
  Reply { added 1|0, size after }: added = 1 with size > 1 is a new place for a key
        that already had a history; size 1 is its first use (the baseline, no alert).
]]
local size = redis.call('SCARD', KEYS[1])
if size >= tonumber(ARGV[2]) then return { 0, size } end
local added = redis.call('SADD', KEYS[1], ARGV[1])
return { added, size + added }
