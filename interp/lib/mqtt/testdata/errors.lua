-- Bad input gives clear errors, and never shows a password.
assert.fails(function() mqtt.connect{} end, "url is required")
assert.fails(function() mqtt.connect{url = "tcp//nohost"} end, "bad url")
assert.fails(function() mqtt.connect{url = "http://host"} end, "unsupported scheme http")
assert.fails(function() mqtt.connect{url = "tcp://host:99999"} end, "port must be 1 to 65535")
assert.fails(function() mqtt.connect{url = "tcp://host/a/path"} end, "no path")
assert.fails(function() mqtt.connect{url = "tcp://:1883"} end, "no host")
local msg = assert.fails(function() mqtt.connect("tcp://user:s3cret@host:port") end, "bad url")
assert.eq(msg:find("s3cret"), nil, msg)
assert.truthy(msg:find("xxxxx@host:port", 1, true), msg)
-- a password with '/', '?', '#' or '@' in it, not percent-encoded, is hidden too
for _, u in ipairs{"tcp://gh:s3cr/et@broker.local:1883", "tcp://gh:s3cr?et@broker.local:1883",
                   "tcp://gh:s3cr#et@broker.local:1883", "tcp://gh:p@ss/w0rd@broker.local:1883"} do
  local msg = assert.fails(function() mqtt.connect(u) end, "bad url")
  assert.eq(msg:find("s3cr", 1, true), nil, msg)
  assert.eq(msg:find("w0rd", 1, true), nil, msg)
  assert.eq(msg:find("et@", 1, true), nil, msg)
  assert.truthy(msg:find("xxxxx@broker.local:1883", 1, true), msg)
end
for _, u in ipairs{"tcp://gh:s3cr/et@broker.local:1883", "tcp://gh:p@ss/w0rd@broker.local:1883"} do
  assert.fails(function() mqtt.connect(u) end, "percent-encode a user name or password")
end

assert.fails(function() mqtt.connect{url = CLOSED, passwrod = "x"} end, "unknown option passwrod (did you mean password?); options are ca_file")
assert.fails(function() mqtt.connect{url = CLOSED, keepalive = 0} end, "keepalive must be a number from 1 to 65535")
assert.fails(function() mqtt.connect{url = CLOSED, queue = 0} end, "queue must be a number from 1")
assert.fails(function() mqtt.connect{url = CLOSED, max_payload = -1} end, "max_payload must be a number from 1 to 268369916")
assert.fails(function() mqtt.connect{url = CLOSED, password = 5} end, "password must be a string, got number")
assert.fails(function() mqtt.connect{url = CLOSED, client_id = "a\0b"} end, 'client_id "a\\x00b" must be UTF-8 text without NUL bytes')
assert.fails(function() mqtt.connect{url = CLOSED, client_id = "a\255b"} end, "must be UTF-8 text without NUL bytes")
assert.fails(function() mqtt.connect{url = CLOSED, will = {topic = "a/#"}} end, "wildcard")
assert.fails(function() mqtt.connect{url = CLOSED, will = "x"} end, "will must be a table")
-- A misspelled key of the will is refused, not left out (the will went
-- out with no payload).
assert.fails(function() mqtt.connect{url = CLOSED, will = {topic = "a", paylod = "x"}} end, "bad argument #1 to 'connect' (unknown will option paylod (did you mean payload?); will options are payload, qos, retain, topic)")
assert.fails(function() mqtt.connect{url = "tls://127.0.0.1:1", ca_file = "nope.pem"} end, "ca_file: cannot read nope.pem")
assert.fails(function() mqtt.connect{url = "tls://127.0.0.1:1", ca_file = "/etc/passwd"} end, "absolute paths are not allowed")
assert.fails(function() mqtt.connect{url = "tls://127.0.0.1:1", cert_file = "c.pem"} end, "cert_file and key_file go together")
fs.write("ca.pem", "not a certificate")
assert.fails(function() mqtt.connect{url = "tls://127.0.0.1:1", ca_file = "ca.pem"} end, "ca_file: no PEM certificate in ca.pem")
assert.fails(function() mqtt.connect{url = CLOSED, ca_file = "ca.pem"} end, "ca_file: no PEM certificate")

local c = mqtt.connect{url = CLOSED, queue = 3, client_id = "offline"}
assert.eq(c.connected, false)
assert.eq(c.client_id, "offline")
assert.eq(c.url, CLOSED)
assert.fails(function() c:publish("a/+/b", "x") end, "mqtt: publish: topic \"a/+/b\" has a wildcard (+ or #)")
assert.fails(function() c:publish("a/#", "x") end, "wildcard")
assert.fails(function() c:publish("", "x") end, "empty topic")
assert.fails(function() c:publish("a", {}) end, "payload must be a string or a number, got table")
assert.fails(function() c:publish("a", "x", {qos = 2}) end, "qos must be 0 or 1, got 2")
-- So is one of publish's options ({retian = true} published a message not retained).
assert.fails(function() c:publish("a", "x", {retian = true}) end, "bad argument #3 to 'publish' (unknown option retian (did you mean retain?); options are qos, retain)")
-- what a script gave is quoted to 40 bytes in an error, not whole
assert.fails(function() c:publish(("a/+"):rep(1e4), "x") end, 'topic "' .. ("a/+"):rep(13) .. 'a"... (30000 bytes) has a wildcard')
assert.fails(function() c:subscribe(("a/#/"):rep(1e4), print) end, 'filter "' .. ("a/#/"):rep(10) .. '"... (40000 bytes): # must be a whole level')
assert.fails(function() mqtt.connect{url = ("x"):rep(1e6)} end, 'bad url "' .. ("x"):rep(40) .. '"... (1000000 bytes): ')
assert.fails(function() c:on(("e"):rep(1e5), print) end, 'unknown event "' .. ("e"):rep(40) .. '"... (100000 bytes); events are')
assert.fails(function() c:publish("a", "x", {qos = 0/0}) end, "qos must be 0 or 1, got nan")
assert.fails(function() c:publish("a", "x", {qos = {}}) end, "qos must be 0 or 1, got table")
assert.fails(function() c:subscribe("a/#/b", function() end) end, "# must be a whole level and the last one")
assert.fails(function() c:subscribe("a/b+", function() end) end, "+ must be a whole level")
assert.fails(function() c:subscribe("a", "not a function") end, "function expected")
assert.fails(function() c:on("message", function() end) end, "unknown event \"message\"")

local small = mqtt.connect{url = CLOSED, max_payload = 10}
assert.fails(function() small:publish("a", string.rep("x", 11)) end, "payload of 11 bytes is over the limit of 10 (max_payload)")
small:publish("a", string.rep("x", 10))
small:close()

-- Offline, the queue keeps the newest publishes.
for i = 1, 5 do c:publish("t", i, {qos = 1}) end
assert.eq(c.queued, 3)
assert.eq(c.dropped, 2)
assert.eq(c:flush(0), false)
assert.eq(c:wait_connected(0), false)

c:subscribe("a/+", function() end)
assert.eq(c:unsubscribe("a/+"), true)
assert.eq(c:unsubscribe("a/+"), false)

c:close()
c:close()
assert.eq(c.closed, true)
assert.truthy(tostring(c):find("closed"))
assert.fails(function() c:publish("t", "x") end, "mqtt: publish: the client is closed")
assert.fails(function() c:subscribe("t", function() end) end, "closed")
