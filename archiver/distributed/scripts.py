"""Lua scripts: each runs atomically in Redis, so no request is ever in neither place.

A request lives either in the shared queue (sorted set) or in exactly one worker's in-flight hash
(field = local id, value = "<score> <serialized request>"), never in between; that is what makes
"queue empty and nobody in flight" a safe definition of a finished crawl.
"""

# KEYS: queue, inflight  ARGV: id  -> the request moved to in-flight, or nil
POP = """
local items = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #items == 0 then return false end
redis.call('ZREM', KEYS[1], items[1])
redis.call('HSET', KEYS[2], ARGV[1], items[2] .. ' ' .. items[1])
return items[1]
"""

# KEYS: heartbeat, inflight, queue, workers, requeued  ARGV: worker, force
# Moves every in-flight request of a worker back to the queue, unless it is alive (force = 0).
REQUEUE = """
if ARGV[2] == '0' and redis.call('EXISTS', KEYS[1]) == 1 then return -1 end
local entries = redis.call('HVALS', KEYS[2])
for _, entry in ipairs(entries) do
  local space = string.find(entry, ' ', 1, true)
  redis.call('ZADD', KEYS[3], tonumber(string.sub(entry, 1, space - 1)), string.sub(entry, space + 1))
end
redis.call('DEL', KEYS[2])
redis.call('SREM', KEYS[4], ARGV[1])
if #entries > 0 then redis.call('INCRBY', KEYS[5], #entries) end
return #entries
"""

# KEYS: seeded, queue, workers  ARGV: in-flight key prefix  -> "done" | why not
STATE = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 'unseeded' end
local queued = redis.call('ZCARD', KEYS[2])
if queued > 0 then return 'queued:' .. queued end
for _, worker in ipairs(redis.call('SMEMBERS', KEYS[3])) do
  if redis.call('HLEN', ARGV[1] .. worker) > 0 then return 'busy:' .. worker end
end
return 'done'
"""

# KEYS: records, heartbeat prefix  ARGV: article key, worker
# Claims an article for this worker unless another live worker archived it (1 = go, 0 = duplicate).
CLAIM_RECORD = """
local owner = redis.call('HGET', KEYS[1], ARGV[1])
if owner == ARGV[2] then return 0 end
if owner and redis.call('EXISTS', KEYS[2] .. owner) == 1 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
"""

# KEYS: seeding, heartbeat prefix  ARGV: worker, prefix of `archiver seed` owners
# Takes over seeding from a worker that died before it finished (1 = this worker seeds now).
TAKE_OVER_SEEDING = """
local owner = redis.call('GET', KEYS[1])
if owner == ARGV[1] then return 0 end
if owner then
  if string.sub(owner, 1, string.len(ARGV[2])) == ARGV[2] then return 0 end
  if redis.call('EXISTS', KEYS[2] .. owner) == 1 then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1])
return 1
"""
