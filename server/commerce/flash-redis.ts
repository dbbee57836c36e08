// The flash sale's Redis scripts (server/commerce/flash.ts, Redis mode): each runs atomically in Redis.

// KEYS: stock, users, reservations, meta. ARGV: user, qty, nowMs, reservationId.
export const RESERVE = `
local meta = redis.call('HMGET', KEYS[4], 'start', 'end', 'limit')
if not meta[1] then return -4 end
local now = tonumber(ARGV[3])
if now < tonumber(meta[1]) then return -1 end
if now >= tonumber(meta[2]) then return -2 end
local q = tonumber(ARGV[2])
local stock = tonumber(redis.call('GET', KEYS[1]) or '0')
if stock < q then return -3 end
local had = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
if had + q > tonumber(meta[3]) then return -5 end
redis.call('DECRBY', KEYS[1], q)
redis.call('HINCRBY', KEYS[2], ARGV[1], q)
redis.call('HSET', KEYS[3], ARGV[4], ARGV[1] .. '|' .. ARGV[2] .. '|' .. ARGV[3])
return stock - q`;

// KEYS: stock, users, reservations, version. ARGV: reservationId. Gives a reservation's units back.
export const RELEASE = `
local r = redis.call('HGET', KEYS[3], ARGV[1])
if not r then return 0 end
local sep = string.find(r, '|', 1, true)
local user = string.sub(r, 1, sep - 1)
local rest = string.sub(r, sep + 1)
local q = tonumber(string.sub(rest, 1, string.find(rest, '|', 1, true) - 1))
redis.call('INCRBY', KEYS[1], q)
redis.call('HINCRBY', KEYS[2], user, -q)
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('INCR', KEYS[4])
return q`;

// KEYS: stock, users, reservations, version, meta. ARGV: expected version, remaining, start, end, limit, then user/qty pairs.
// Resets Redis from the database, only when nothing is in flight and nothing changed since the read.
export const SYNC = `
if redis.call('HLEN', KEYS[3]) > 0 then return 0 end
if tostring(redis.call('GET', KEYS[4]) or '0') ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('DEL', KEYS[2])
for i = 6, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
redis.call('HSET', KEYS[5], 'start', ARGV[3], 'end', ARGV[4], 'limit', ARGV[5])
redis.call('INCR', KEYS[4])
return 1`;

export const RESERVE_REFUSALS: Record<number, 'FLASH_NOT_STARTED' | 'FLASH_ENDED' | 'FLASH_SOLD_OUT' | 'FLASH_LIMIT_EXCEEDED'> = {
  [-1]: 'FLASH_NOT_STARTED',
  [-2]: 'FLASH_ENDED',
  [-3]: 'FLASH_SOLD_OUT',
  [-5]: 'FLASH_LIMIT_EXCEEDED',
};
