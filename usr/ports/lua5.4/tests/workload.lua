-- Lua workload: the output must be the same on Linux and in Exo-OS.
local out = {}
local function p(...) print(...) end
-- numbers: integers, floats, formatting, integer division, bit ops
p(7 // 2, 7 % 3, -7 // 2, 2^10, 10 / 4, math.maxinteger, math.mininteger, 3 | 5, 6 & 3, 1 << 40)
p(string.format("%.6f %g %e %5.2f %x %q", math.pi, 1e300 * 10, 12345.678, -2.5, 255, "a\nb"))
p(math.floor(-3.5), math.ceil(-3.5), math.fmod(7, 3), math.sqrt(2), math.tointeger(8.0), 0.1 + 0.2)
-- strings and patterns
local s = "The quick brown fox jumps over the lazy dog"
p(#s, s:upper(), s:rep(2, "|"):sub(40, 60), s:find("fox"), s:match("(%a+) dog"))
p((s:gsub("%w+", function(w) return w:reverse() end)))
for k, v in string.gmatch("a=1, b=22, c=333", "(%w+)=(%w+)") do io.write(k, ":", v, " ") end
p()
p(utf8.char(72, 228, 8364, 128512), utf8.len("häl€"), table.concat({utf8.codepoint("h€", 1, -1)}, ","))
-- tables, sorting, closures
local t = {}
for i = 1, 200 do t[i] = (i * 7919) % 1009 end
table.sort(t, function(a, b) return a > b end)
p(t[1], t[100], t[200], #t, select("#", table.unpack(t)))
local function counter() local n = 0 return function() n = n + 1 return n end end
local c1, c2 = counter(), counter()
c1(); c1()
p(c1(), c2())
-- coroutines
local gen = coroutine.wrap(function() for i = 1, 5 do coroutine.yield(i * i) end end)
local sq = {}
for i = 1, 5 do sq[#sq + 1] = gen() end
p(table.concat(sq, " "))
-- errors
p(select(2, pcall(function() error({code = 42}) end)).code)
p(select(2, pcall(function() error("boom", 0) end)), select(2, pcall(function() return nil + 1 end)))
-- metatables
local V = {}
V.__index = V
V.__add = function(a, b) return setmetatable({x = a.x + b.x}, V) end
V.__tostring = function(v) return "V(" .. v.x .. ")" end
p(tostring(setmetatable({x = 1}, V) + setmetatable({x = 2}, V)))
-- files
local name = os.tmpname()
local f = assert(io.open(name, "w"))
for i = 1, 1000 do f:write(i, "\n") end
f:close()
local sum, lines = 0, 0
for l in io.lines(name) do sum = sum + tonumber(l); lines = lines + 1 end
p(sum, lines, os.remove(name))
p(io.open("/nonexistent/x"))
-- os
p(os.time({year = 2024, month = 2, day = 29, hour = 12}), os.date("!%Y-%m-%d %H:%M:%S", 86400 * 365))
p(os.getenv("LUA_WORKLOAD"), type(os.clock()))
local h = io.popen("echo from-popen")
p(h:read("a"), h:close())
-- garbage collector and a heavier loop
local big = {}
for i = 1, 100000 do big[i] = {i, tostring(i)} end
big = nil
collectgarbage()
local acc = 0
for i = 1, 300000 do acc = (acc + i * i) % 1000003 end
p(acc, collectgarbage("count") > 0)
-- load and string.dump
local fn = load("return 6 * 7")
p(fn(), load(string.dump(fn))())
