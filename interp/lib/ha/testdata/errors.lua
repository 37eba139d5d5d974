-- Devices and entities check their options; nothing here needs a broker.
assert.fails(function() ha.device{id = "x", url = CLOSED} end, "name is required")
assert.fails(function() ha.device{name = "X", id = "a b", url = CLOSED} end, "id must be letters, digits, _ and - only")
assert.fails(function() ha.device{name = "X", id = ("a b"):rep(1e5), url = CLOSED} end, 'got "' .. ("a b"):rep(13) .. 'a"... (300000 bytes))')
assert.fails(function() ha.device{name = "X", id = "x"} end, "url is required")
assert.fails(function() ha.device{name = "X", id = "x", url = CLOSED, colour = "red"} end, "unknown option colour")
assert.fails(function() ha.device{name = "X", id = "x", url = CLOSED, will = {topic = "w"}} end, "will is set by ha")
assert.fails(function() ha.device{name = "X", id = "x", url = CLOSED, topic = "a/#"} end, "wildcard")

local dev = ha.device{name = "Greenhouse", id = "greenhouse", url = CLOSED, model = "Pi Zero 2 W"}
assert.eq(dev.id, "greenhouse")
assert.eq(dev.availability_topic, "moonpin/greenhouse/availability")
assert.eq(dev.client.client_id, "moonpin-greenhouse")
assert.eq(dev.client.connected, false)

local t = dev:sensor{name = "Temperature (inside)", unit = "°C", device_class = "temperature", suggested_display_precision = 1}
assert.eq(t.unique_id, "greenhouse_temperature_inside")
assert.eq(t.state_topic, "moonpin/greenhouse/temperature_inside/state")
assert.eq(t.config_topic, "homeassistant/sensor/greenhouse/temperature_inside/config")
assert.eq(t.command_topic, nil)
assert.eq(t.value, nil)
t:set(21.5)
assert.eq(t.value, "21.5")
t:set("n/a")
assert.eq(tostring(t), "ha.sensor(greenhouse_temperature_inside)")
assert.fails(function() t:set({}) end, "expected a number or a string, got table")
assert.fails(function() t:set("") end, "empty string")

local door = dev:binary_sensor{name = "Door", id = "door1", device_class = "door"}
assert.eq(door.config_topic, "homeassistant/binary_sensor/greenhouse/door1/config")
door:set(1)
assert.eq(door.value, "ON")
door:set(false)
assert.eq(door.value, "OFF")
assert.fails(function() door:set("open") end, "expected true/false or 1/0, got string")
assert.fails(function() door:set(2) end, "expected true/false or 1/0, got 2")
assert.fails(function() door:set(0/0) end, "expected true/false or 1/0, got nan")

local fan = dev:switch{name = "Fan", on_command = function() end}
assert.eq(fan.command_topic, "moonpin/greenhouse/fan/set")

assert.fails(function() dev:sensor{} end, "name is required")
assert.fails(function() dev:sensor{name = "Temperature (inside)"} end, "already has an entity \"temperature_inside\"")
assert.fails(function() dev:sensor{name = "%%%"} end, "give an id")
assert.fails(function() dev:sensor{name = "X", state_topic = "a"} end, "state_topic is set by ha")
assert.fails(function() dev:sensor{name = "X", icon = {}} end, "icon must be a string, number or boolean, got table")
assert.fails(function() dev:sensor{name = "X", precision = 0/0} end, "precision must be a finite number")
assert.fails(function() dev:binary_sensor{name = "X", unit = "V"} end, "unit is for sensors")
assert.fails(function() dev:switch{name = "Pump"} end, "on_command is required")
assert.fails(function() dev:sensor{name = "Y", on_command = print} end, "on_command is for switches")
assert.truthy(tostring(dev):find("3 entities"))

-- an entity that fails is not registered: offline too, its topics are checked
local long = ("a"):rep(70000)
local msg = assert.fails(function() dev:sensor{name = long} end, "is over MQTT's 65535")
assert.truthy(#msg < 400, #msg)
assert.fails(function() dev:sensor{name = long} end, "is over MQTT's 65535")  -- not "already has an entity"
assert.fails(function() dev:switch{name = "x", id = long, on_command = print} end, "is over MQTT's 65535")
assert.fails(function() dev:sensor{name = "Odd", unit = {}} end, "unit must be a string or a number, got table")
assert.fails(function() dev:sensor{name = "Odd", unit = true} end, "unit must be a string or a number, got boolean")
assert.truthy(tostring(dev):find("3 entities"), tostring(dev))
local odd = dev:sensor{name = "Odd", unit = 3}  -- the same name, once right, is taken
assert.truthy(tostring(dev):find("4 entities"), tostring(dev))
-- a config over the client's max_payload is refused before it is kept
local small = ha.device{name = "Small", id = "small", url = CLOSED, max_payload = 600}
assert.fails(function() small:sensor{name = "X", icon = ("i"):rep(1000)} end, "over the limit of 600 (max_payload)")
assert.truthy(tostring(small):find("0 entities"), tostring(small))
small:close()

dev:close()
assert.eq(dev.client.closed, true)
assert.fails(function() t:set(1) end, "closed")
