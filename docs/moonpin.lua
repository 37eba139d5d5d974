---@meta moonpin

-- LuaLS (lua-language-server) definitions of moonpin's Lua API: completion,
-- hover docs and type checks in an editor. See docs/README.md for the setup.
-- This file only describes the API; it is never run on a board.
-- docs/stubs_test.go keeps it in step with the runtime: every module, function,
-- constant, handle method and handle field here exists there, and the other way round.
-- The REPL's help() reads this file's comments (it is built into moonpin), so what help
-- says and what an editor shows are the same words.
--
-- Every module is a global and can also be required (`local gpio = require("gpio")`).
-- Wrong argument types raise `bad argument #n to 'name' (expected X, got Y)`.
--
-- moonpin keeps Lua 5.1's standard library (gopher-lua), with these changes:
--   print, io.write, io.stdout, io.stderr  write to the session (terminal or serial line).
--   io.read           reads a line typed at the session (Ctrl-D: nil; Ctrl-C interrupts).
--   os.exit([code])   ends the script; pcall cannot catch it.
--   collectgarbage    "count" (and gcinfo) report the real Go heap in KiB; "collect" runs Go's GC,
--                     "step" runs it when its steps add up to the heap's size; "stop" does nothing.
--   io.popen, os.execute  raise an error unless moonpin runs with --allow-exec.
--   require           searches the script root and lib/ under it (?.lua and ?/init.lua).
--   dofile, loadfile, io.open, io.lines, io.input, io.output, os.remove, os.rename,
--   os.tmpname        use files under the script root only, like fs, and places
--                     granted with --allow-read and --allow-write.
--   os.setenv, channel, _printregs  are gone.

---Bytes for the hardware: a string, one byte value (0..255), or a table of byte values.
---@alias moonpin.Bytes string|integer|integer[]

--------------------------------------------------------------------------------
-- REPL helpers (globals)
--------------------------------------------------------------------------------

---Prints help: with no argument a greeting (the modules, the control keys); for a module, handle,
---function or name ("i2c", "gpio.pin", "Pin:write") what this file says about it.
---@param x? any a module, function, handle or name
function help(x) end

---Returns the sorted names in a table, a handle's methods and fields, or with no argument the globals.
---@param x? any a table, handle or string
---@return string[] names
function dir(x) end

---Reads a line typed at the session, after writing prompt; the line is edited as at the prompt.
---Returns nil at Ctrl-D on an empty line; Ctrl-C interrupts the script.
---@param prompt? string
---@return string|nil line
function input(prompt) end

---Returns a value as the REPL prints it: tables as Lua constructors with sorted keys, strings quoted,
---numbers as %.14g, handles as "GPIO17 (out, 1)"; long and deep tables are cut short with "…".
---@param value any
---@return string text
function repr(value) end

--------------------------------------------------------------------------------
-- time
--------------------------------------------------------------------------------

---Sleeping (timers and pin callbacks run meanwhile) and MicroPython-style ticks.
time = {}

---Sleeps `s` seconds; timers and pin callbacks run meanwhile and Ctrl-C ends it at once.
---Errors: "expected a non-negative number of seconds".
---@param s number seconds, 0 or more (fractions allowed)
function time.sleep(s) end

---Sleeps `ms` milliseconds; timers and pin callbacks run meanwhile.
---@param ms number milliseconds, 0 or more
function time.sleep_ms(ms) end

---Sleeps `us` microseconds; timers and pin callbacks run meanwhile.
---@param us number microseconds, 0 or more
function time.sleep_us(us) end

---Milliseconds since the runtime started, on a monotonic clock; never wraps (unlike MicroPython's).
---@return integer ms
function time.ticks_ms() end

---Microseconds since the runtime started, on a monotonic clock; never wraps (2^53 µs is 285 years).
---@return integer us
function time.ticks_us() end

---`new - old`, as in MicroPython (note the order: the later tick first).
---@param new integer a later tick
---@param old integer an earlier tick
---@return integer diff
function time.ticks_diff(new, old) end

---Seconds since 1970 (Unix time), with sub-second precision.
---@return number seconds
function time.time() end

--------------------------------------------------------------------------------
-- timer
--------------------------------------------------------------------------------

---Callbacks after a delay or every period, run on the event loop while the script sleeps or after it returns.
---A callback that raises an error is reported with its traceback and its timer stopped.
timer = {}

---Calls `fn(t)` every `ms` milliseconds, `t` being the returned timer.
---Errors: "expected a period of at least 1 ms".
---@param ms number period in ms, at least 1
---@param fn fun(t: timer.Timer)
---@return timer.Timer
function timer.every(ms, fn) end

---Calls `fn(t)` once after `ms` milliseconds, `t` being the returned timer.
---Errors: "expected a non-negative delay in ms".
---@param ms number delay in ms, 0 or more
---@param fn fun(t: timer.Timer)
---@return timer.Timer
function timer.after(ms, fn) end

---A timer made by timer.every or timer.after; tostring gives "timer(1s, active)".
---@class timer.Timer
local Timer = {}

---Cancels the timer and returns whether it was still active.
---@return boolean was_active
function Timer:stop() end

---Whether the timer will still fire.
---@return boolean
function Timer:active() end

--------------------------------------------------------------------------------
-- fs
--------------------------------------------------------------------------------

---Files under the script root. Paths are relative to the root; absolute paths, `..` out of
---it and symlinks that lead out are errors. Writes are atomic (a temporary file renamed into place).
---Errors name the function and the path: "fs.read: data.txt: no such file or directory".
fs = {}

---@class fs.Stat
---@field type "file"|"dir"
---@field size integer bytes
---@field mtime integer last modification, Unix seconds

---Returns the whole content of a file.
---@param path string relative to the script root
---@return string content
function fs.read(path) end

---Replaces a file's content atomically (a temporary file, synced, then renamed), so a power cut leaves the old content or the new.
---@param path string relative to the script root
---@param data string
function fs.write(path, data) end

---Appends data to a file, creating it if needed. A failure (a full disk) or Ctrl-C cuts the file back to its length before: the data is in it whole or not at all.
---@param path string relative to the script root
---@param data string
function fs.append(path, data) end

---Returns the sorted names in a directory (default the root).
---@param dir? string relative to the script root; default "."
---@return string[] names
function fs.list(dir) end

---Returns {type=, size=, mtime=}, or nil and a message when the path does not exist (other failures raise).
---@param path string relative to the script root
---@return fs.Stat|nil stat
---@return string? err message, e.g. "data.txt: no such file or directory"
function fs.stat(path) end

---Whether the path exists.
---@param path string relative to the script root
---@return boolean
function fs.exists(path) end

---Deletes a file or an empty directory (never the script root).
---@param path string relative to the script root
function fs.remove(path) end

---Renames or moves a file or directory within the script root.
---@param from string relative to the script root
---@param to string relative to the script root
function fs.rename(from, to) end

---Creates a directory and any missing parents; an existing directory is fine.
---@param path string relative to the script root
function fs.mkdir(path) end

--------------------------------------------------------------------------------
-- bit
--------------------------------------------------------------------------------

---Lua BitOp's bitwise operations on 32-bit values, with NodeMCU's bit, set, clear and isset.
---Arguments are rounded to integers and wrapped modulo 2^32 (-1 and 0xFFFFFFFF are the same);
---results are signed, -2^31..2^31-1, as in Lua BitOp: compare with bit.tobit(0x80000000), not
---0x80000000. Shift and rotate counts use their lower 5 bits. NaN, infinities and bit positions
---outside 0..31 are errors.
bit = {}

---Normalizes x to a signed 32-bit value (bit.tobit(0xffffffff) is -1).
---@param x number
---@return integer
function bit.tobit(x) end

---Hex string of the low 4*|n| bits of x, n digits (default 8); n < 0 gives upper case.
---@param x integer
---@param n? integer
---@return string
function bit.tohex(x, n) end

---Bitwise AND of all arguments.
---@param x integer
---@param ... integer
---@return integer
function bit.band(x, ...) end

---Bitwise OR of all arguments.
---@param x integer
---@param ... integer
---@return integer
function bit.bor(x, ...) end

---Bitwise XOR of all arguments.
---@param x integer
---@param ... integer
---@return integer
function bit.bxor(x, ...) end

---Bitwise NOT (bit.bnot(0) is -1).
---@param x integer
---@return integer
function bit.bnot(x) end

---Shifts left by n (only n's lower 5 bits count, as in Lua BitOp).
---@param x integer
---@param n integer
---@return integer
function bit.lshift(x, n) end

---Logical shift right by n (zeros come in; lower 5 bits of n).
---@param x integer
---@param n integer
---@return integer
function bit.rshift(x, n) end

---Arithmetic shift right (sign extension; lower 5 bits of n).
---@param x integer
---@param n integer
---@return integer
function bit.arshift(x, n) end

---Rotates left by n (lower 5 bits of n).
---@param x integer
---@param n integer
---@return integer
function bit.rol(x, n) end

---Rotates right by n (lower 5 bits of n).
---@param x integer
---@param n integer
---@return integer
function bit.ror(x, n) end

---Swaps the four bytes of x (little- to big-endian and back).
---@param x integer
---@return integer
function bit.bswap(x) end

---The value with only bit `pos` set (bit.bit(3) is 8).
---@param pos integer bit position, 0..31
---@return integer
function bit.bit(pos) end

---x with the bits at the given positions set.
---@param x integer
---@param pos integer bit position, 0..31
---@param ... integer more positions
---@return integer
function bit.set(x, pos, ...) end

---x with the bits at the given positions cleared.
---@param x integer
---@param pos integer bit position, 0..31
---@param ... integer more positions
---@return integer
function bit.clear(x, pos, ...) end

---Whether bit `pos` of x is set.
---@param x integer
---@param pos integer bit position, 0..31
---@return boolean
function bit.isset(x, pos) end

--------------------------------------------------------------------------------
-- struct
--------------------------------------------------------------------------------

---Packs and unpacks binary data with Lua 5.3 string.pack formats: < little-endian, > big-endian,
---= native, ![n] alignment, b/B 1 byte, h/H 2, i[n]/I[n] n (default 4), l/L j/J 8, f float32,
---d float64, s[n] length-prefixed string, c[n] fixed string, z zero-terminated, x pad byte.
---Numbers with a fraction or out of the option's range are errors.
struct = {}

---Packs the values by the format into a binary string.
---Errors: "integer 300 does not fit in 1 byte: 'B' holds 0..255".
---@param fmt string e.g. "<I2h"
---@param ... number|string the values, one per option (x takes none)
---@return string data
function struct.pack(fmt, ...) end

---Unpacks values from data starting at pos; returns them followed by the position after the last byte read.
---Errors: "struct.unpack: data string too short (need 2 bytes at position 3, have 1)".
---@param fmt string e.g. "<I2h"
---@param data string
---@param pos? integer 1-based start, negative from the end; default 1
---@return any ... the values, then the next position (an integer)
function struct.unpack(fmt, data, pos) end

---The size in bytes of data packed with fmt; s and z (variable length) are errors.
---@param fmt string
---@return integer size
function struct.size(fmt) end

--------------------------------------------------------------------------------
-- json
--------------------------------------------------------------------------------

---JSON text to and from Lua values. Encoding: a table with keys exactly 1..n is an array, any
---other table (the empty one included) an object with sorted keys. Decoding: JSON null becomes json.null.
json = {}

---The JSON null value (a userdata; tostring gives "null"). Decode yields it for null so arrays keep
---their length; encode writes it as null. One value per Lua state, so compare with ==.
---@class json.Null: userdata

---Stands for JSON null in decoded values and in values to encode.
---@type json.Null
json.null = {}

---Encodes a value as JSON text.
---Errors name the path to the bad value: "json.encode: cannot encode function at readings[2].cb";
---NaN, infinities, invalid UTF-8, cycles and nesting deeper than 1000 are errors too.
---@param value any nil, boolean, number, string, table or json.null
---@return string text
function json.encode(value) end

---Decodes JSON text into Lua values (objects and arrays become tables, null json.null).
---Errors give the line and column: "json.decode: unexpected character '}' at line 1 column 8".
---@param text string
---@return any value
function json.decode(text) end

--------------------------------------------------------------------------------
-- gpio
--------------------------------------------------------------------------------

---Pins by name, read and write, edge watches with debounce, and PWM where the board has it.
---Pins are closed by soft reset if the script does not close them.
gpio = {}

---Mode: input (the default of gpio.pin).
gpio.IN = 0
---Mode: output, starting low.
gpio.OUT = 1
---Pull: none (floating), the default.
gpio.PULL_NONE = 0
---Pull: up.
gpio.PULL_UP = 1
---Pull: down.
gpio.PULL_DOWN = 2
---Edge for watch: low to high.
gpio.RISING = 1
---Edge for watch: high to low.
gpio.FALLING = 2
---Edge for watch: both.
gpio.BOTH = 3
---Level: low (0).
gpio.LOW = 0
---Level: high (1).
gpio.HIGH = 1

---Opens a pin: an output starts low; a pull applies to inputs only.
---Errors: "gpio: no pin GPIO99 on sim; pins here: GPIO0..GPIO27", "a pull applies to inputs only".
---@param name string pin name: "GPIO17", a number "17", or a chip line "gpiochip0:17"
---@param mode? integer gpio.IN (default) or gpio.OUT
---@param pull? integer gpio.PULL_NONE (default), gpio.PULL_UP or gpio.PULL_DOWN; inputs only
---@return gpio.Pin
function gpio.pin(name, mode, pull) end

---@class gpio.WatchOptions
---@field debounce_ms? number drop edges sooner than this after the last one passed on

---A pin opened by gpio.pin; tostring gives "pin(GPIO17, out)". Methods on a closed pin raise "gpio: pin GPIO17 is closed".
---@class gpio.Pin
local Pin = {}

---Sets an output's level. Errors: "gpio: pin GPIO27 is an input; open it with gpio.pin("GPIO27", gpio.OUT) to write".
---@param value integer|boolean 0, 1, true or false
function Pin:write(value) end

---Reads the pin's level (an output reads what it drives).
---@return integer level 0 or 1
function Pin:read() end

---Sets an output high.
function Pin:on() end

---Sets an output low.
function Pin:off() end

---Inverts an output's level.
function Pin:toggle() end

---Calls fn on the event loop for each edge of an input (replacing an earlier watch, this
---handle's or another's of the same pin: opening the pin again stops a watch too);
---a callback that errors is reported and the watch stopped.
---Errors: "gpio: pin GPIO17 is an output; watch needs an input".
---@param edge integer gpio.RISING, gpio.FALLING or gpio.BOTH
---@param fn fun(level: integer, t_us: integer) level 0 or 1; t_us on the time.ticks_us clock
---@param opts? gpio.WatchOptions
function Pin:watch(edge, fn, opts) end

---Stops watching the pin; no callbacks come after it.
function Pin:unwatch() end

---Drives an output with PWM, where the board has it (on the sim board GPIO12, 13, 18 and 19).
---Errors: "gpio: GPIO17: PWM: pin GPIO17 has no PWM on sim; PWM pins: GPIO12, ...".
---@param freq_hz number frequency in Hz, above 0
---@param duty number duty cycle, 0 to 1
function Pin:pwm(freq_hz, duty) end

---Releases the pin; closing again does nothing.
function Pin:close() end

---The pin's name as the board calls it ("GPIO27" for "27").
---@return string
function Pin:name() end

--------------------------------------------------------------------------------
-- i2c
--------------------------------------------------------------------------------

---I2C buses: scan them and read and write devices and their registers. Data goes in as
---moonpin.Bytes and comes back as a string (struct.unpack reads it).
---A device that does not acknowledge is the error "i2c: no device at 0x76 on I2C1".
i2c = {}

---Opens a bus by name. Errors: "i2c: no I2C bus I2C9 on sim; buses here: I2C1".
---@param name string bus name: "I2C1" or "/dev/i2c-1"
---@return i2c.Bus
function i2c.open(name) end

---An I2C bus opened by i2c.open; tostring gives "i2c(I2C1)". Addresses are 7-bit (0x00..0x7f).
---@class i2c.Bus
local Bus = {}

---Returns the addresses (0x08..0x77) that acknowledge a 1-byte read, as i2cdetect -r lists them; the list prints in hex: {0x50, 0x76}.
---A probe that fails otherwise than by a NACK leaves its address out; when nothing answers and a probe failed so, scan raises an error (check the wiring and pull-ups).
---@return integer[] addresses
function Bus:scan() end

---Reads n bytes from a device.
---@param addr integer 7-bit address
---@param n integer byte count, 0..65536
---@return string data
function Bus:read(addr, n) end

---Writes data to a device.
---@param addr integer 7-bit address
---@param data moonpin.Bytes
function Bus:write(addr, data) end

---Writes data then reads n bytes, in one transaction (repeated start).
---@param addr integer 7-bit address
---@param data moonpin.Bytes
---@param n integer byte count to read, 0..65536
---@return string data
function Bus:tx(addr, data, n) end

---Writes the register number, then reads n bytes.
---@param addr integer 7-bit address
---@param reg integer register, 0x00..0xff
---@param n integer byte count, 0..65536
---@return string data
function Bus:readreg(addr, reg, n) end

---Writes the register number followed by data.
---@param addr integer 7-bit address
---@param reg integer register, 0x00..0xff
---@param data moonpin.Bytes
function Bus:writereg(addr, reg, data) end

---Closes the bus; closing again does nothing.
function Bus:close() end

--------------------------------------------------------------------------------
-- spi
--------------------------------------------------------------------------------

---SPI ports: open with a clock, mode and word size, then full-duplex transfers. Data goes in as
---moonpin.Bytes and comes back as a string.
spi = {}

---@class spi.Options
---@field hz? number clock in Hz, 1 Hz to 1 GHz; default 1e6
---@field mode? integer SPI mode 0..3; default 0
---@field bits? integer word size 1..32; default 8

---Opens a port and connects with the settings. Errors: "spi: no SPI port SPI9.9 on sim; ...", "mode 4 is not an SPI mode (0..3)".
---@param name string port name: "SPI0.0" is bus 0, chip select 0
---@param opts? spi.Options
---@return spi.Device
function spi.open(name, opts) end

---An SPI device opened by spi.open; tostring gives "spi(SPI0.0, 1MHz, mode 0, 8 bits)".
---@class spi.Device
local Device = {}

---Sends data and returns the bytes clocked in meanwhile (as many as were sent).
---@param data moonpin.Bytes
---@return string received
function Device:transfer(data) end

---Sends data, ignoring what comes in.
---@param data moonpin.Bytes
function Device:write(data) end

---Clocks out n zero bytes and returns what came in.
---@param n integer byte count, 0..65536
---@return string received
function Device:read(n) end

---Closes the port; closing again does nothing.
function Device:close() end

--------------------------------------------------------------------------------
-- board
--------------------------------------------------------------------------------

---What the board is and has, its uptime, and a soft reset.
board = {}

---The board's name: "sim" on the simulated board, "none" without a board.
---@type string
board.name = ""

---The board's pin names.
---@return string[]
function board.pins() end

---The board's I2C bus names.
---@return string[]
function board.i2c() end

---The board's SPI port names.
---@return string[]
function board.spi() end

---Milliseconds since the runtime started (soft resets do not restart it).
---@return integer ms
function board.uptime_ms() end

---Soft reset: the running code stops (pcall cannot catch it), everything it opened is closed,
---and boot.lua and main.lua run again on a fresh state.
function board.reset() end

--------------------------------------------------------------------------------
-- mqtt
--------------------------------------------------------------------------------

---An MQTT 3.1.1 client that connects in the background, reconnects with backoff (0.5 s up to 30 s),
---renews subscriptions, queues publishes made while offline, and runs its callbacks on the event loop.
---An open client keeps `moonpin script.lua` running; soft reset closes it.
mqtt = {}

---@class mqtt.Will
---@field topic string no wildcards
---@field payload? string|number
---@field retain? boolean
---@field qos? integer 0 or 1

---@class mqtt.ConnectOptions
---@field url string broker: "tcp://host[:1883]" or "tls://host[:8883]" (mqtt://, ssl://, mqtts:// too); may hold "user:password@"
---@field client_id? string default a random "moonpin-<hex>"; connecting again with one in use closes the earlier client
---@field username? string
---@field password? string never shown in messages
---@field keepalive? number ping interval in seconds, 1..65535; default 30
---@field will? mqtt.Will published by the broker if the client vanishes
---@field ca_file? string PEM file under the script root to verify the broker with (default the system's CAs)
---@field cert_file? string client certificate (PEM), with key_file
---@field key_file? string client private key (PEM), with cert_file
---@field queue? integer publishes kept while offline, 1..1e7; default 1000 (the oldest are dropped)
---@field max_payload? integer largest payload in bytes; default 1 MiB

---@class mqtt.PublishOptions
---@field qos? integer 0 (default) or 1
---@field retain? boolean

---Starts a client and returns at once; it connects in the background.
---Errors: "url is required", "unknown option passwrod (did you mean password?); options are ...", "bad url ...".
---@param opts mqtt.ConnectOptions|string the options, or just the url
---@return mqtt.Client
function mqtt.connect(opts) end

---An MQTT client made by mqtt.connect; tostring gives "mqtt.client(tcp://host:1883, connected)".
---Methods of a closed client raise "mqtt: publish: the client is closed".
---@class mqtt.Client
---@field connected boolean whether the broker connection is up
---@field queued integer publishes queued or in flight
---@field dropped integer publishes dropped from a full queue
---@field url string the broker, without credentials
---@field client_id string
---@field closed boolean whether close has been called
---@field error string|nil why the last connection attempt failed or the connection was lost
local Client = {}

---Queues a message and returns; it is sent as soon as the broker is there.
---Errors: "mqtt: publish: topic "a/+" has a wildcard (+ or #) ...", "payload of N bytes is over the limit".
---@param topic string no wildcards
---@param payload string|number
---@param opts? mqtt.PublishOptions
function Client:publish(topic, payload, opts) end

---Calls fn for each message matching filter; subscribing to a filter again replaces its function.
---@param filter string may hold + (a whole level) and # (the whole last level)
---@param fn fun(topic: string, payload: string)
---@param qos? integer 0 (default) or 1
function Client:subscribe(filter, fn, qos) end

---Drops the subscription to filter; returns whether there was one.
---@param filter string
---@return boolean
function Client:unsubscribe(filter) end

---Sets the handler of "connect" (fn()) or "disconnect" (fn(reason)); nil removes it.
---A connect handler set while connected runs soon. Without a disconnect handler the reason is printed.
---@param event "connect"|"disconnect"
---@param fn? fun(reason?: string)
function Client:on(event, fn) end

---Waits (callbacks run meanwhile) for queued publishes to reach the broker; returns whether they all did.
---@param timeout_s? number default 10
---@return boolean
function Client:flush(timeout_s) end

---Waits (callbacks run meanwhile) for the connection; returns whether it is up.
---@param timeout_s? number default 10
---@return boolean
function Client:wait_connected(timeout_s) end

---Gives queued publishes up to timeout_s to reach the broker, then disconnects cleanly (no will); again does nothing.
---@param timeout_s? number default 1
function Client:close(timeout_s) end

--------------------------------------------------------------------------------
-- ha
--------------------------------------------------------------------------------

---Home Assistant MQTT discovery: a device connects with a Last Will that marks it unavailable and
---announces its sensors, binary sensors and switches with retained discovery configs.
---Configs, availability and states are published again on every reconnection and when Home Assistant comes online.
ha = {}

---mqtt.connect's options (but not will, which ha sets; client_id defaults to "moonpin-<id>") and the device's own.
---@class ha.DeviceOptions: mqtt.ConnectOptions
---@field name string the device's name in Home Assistant
---@field id string letters, digits, _ and - only; part of topics and unique ids
---@field prefix? string discovery prefix; default "homeassistant"
---@field topic? string where the device's topics live; default "moonpin/<id>"
---@field model? string default the board's name
---@field manufacturer? string default "moonpin"
---@field sw_version? string
---@field hw_version? string
---@field suggested_area? string

---Options of every entity; other keys (device_class, icon, state_class, entity_category, ...)
---go into the discovery config as they are.
---@class ha.EntityOptions
---@field name string the entity's name in Home Assistant
---@field id? string object id; default made from name ("Temperature (°C)" gives "temperature_c")
---@field [string] string|number|boolean

---@class ha.SensorOptions: ha.EntityOptions
---@field unit? string unit_of_measurement; sets state_class "measurement" unless given

---@class ha.SwitchOptions: ha.EntityOptions
---@field on_command fun(on: boolean) switches the thing; if it raises no error the new state is reported

---Connects a device to the broker (in the background, like mqtt.connect) and subscribes to Home Assistant's status.
---Errors: "name is required", "id must be letters, digits, _ and - only", "will is set by ha".
---@param opts ha.DeviceOptions
---@return ha.Device
function ha.device(opts) end

---A Home Assistant device made by ha.device; tostring gives "ha.device(greenhouse, 3 entities)".
---@class ha.Device
---@field client mqtt.Client the device's MQTT client
---@field id string
---@field name string
---@field availability_topic string where the device says online/offline: "moonpin/<id>/availability"
local HADevice = {}

---Adds a sensor (a number or string state). Errors: "ha: the device already has an entity "x"; give this one another id".
---@param opts ha.SensorOptions
---@return ha.Entity
function HADevice:sensor(opts) end

---Adds a binary sensor (an ON/OFF state).
---@param opts ha.EntityOptions
---@return ha.Entity
function HADevice:binary_sensor(opts) end

---Adds a switch: on_command(on) runs when it is flipped in Home Assistant. Errors: "on_command is required".
---@param opts ha.SwitchOptions
---@return ha.Entity
function HADevice:switch(opts) end

---Marks the device offline and closes its client (giving queued publishes a second).
function HADevice:close() end

---A sensor, binary sensor or switch of a device; tostring gives "ha.sensor(greenhouse_temperature)".
---@class ha.Entity
---@field value string|nil the last state reported ("21.5", "ON"), nil before the first
---@field unique_id string the device's id, "_" and the object id
---@field state_topic string
---@field command_topic string|nil switches only
---@field config_topic string the retained discovery config's topic
local Entity = {}

---Reports the state (offline, the latest waits for the next connection).
---Errors: "expected a number or a string" (sensors), "expected true/false or 1/0" (others), "ha: device x is closed".
---@param value number|string|boolean a number or string for a sensor; true/false or 1/0 otherwise
function Entity:set(value) end

--------------------------------------------------------------------------------
-- devices
--------------------------------------------------------------------------------

---Sensors, displays and outputs, driven by periph's device drivers (periph.io/x/devices): the same
---script runs on the simulated board, whose register-level models they drive, and on hardware.
---Each constructor takes where the part is wired, an I2C bus (from i2c.open) or its name ("I2C1"),
---or for SPI parts a port name ("SPI1.0"), or for parts on GPIO pins a table of them (hx711
---{clk = "GPIO5", data = "GPIO6"}), and an options table whose unknown keys are errors. Where
---periph's driver does not fit (hd44780 on a PCF8574 backpack, adxl345 on I2C) the driver is
---moonpin's own, in Go. Readings are tables in °C, hPa, %RH, lux, V, A, W and g. A soft reset
---closes every handle.
---Errors name the device: "bme280(0x76 on I2C1) read: no BME280/BMP280/BMP180 answers at 0x76 on I2C1; check
---the wiring and the addr option (bus:scan() lists the addresses that answer)".
devices = {}

---@alias devices.Bus i2c.Bus|string an open bus, or its name such as "I2C1"

---@class devices.Env
---@field temperature number °C
---@field pressure? number hPa (BME280, BMP280, BMP180)
---@field humidity? number %RH (BME280, AHT20)

---@class devices.BME280Options
---@field addr? integer 0x76 (default) or 0x77
---@field filter? integer IIR filter 0 (default), 2, 4, 8 or 16; with standby_ms, normal mode
---@field standby_ms? number with filter, the part measures on its own every standby_ms and a read does not wait

---A Bosch BME280, BMP280 or BMP180 (the driver tells them apart).
---@param bus devices.Bus
---@param opts? devices.BME280Options
---@return devices.BME280
function devices.bme280(bus, opts) end

---A BME280, BMP280 or BMP180; tostring gives "bme280(0x76 on I2C1)".
---@class devices.BME280
local BME280 = {}

---Measures (in forced mode, waiting for the conversion, about 30 ms; Ctrl-C ends the wait).
---@return devices.Env reading temperature °C, pressure hPa, humidity %RH (BME280 only)
function BME280:read() end

---Puts the part to sleep and closes the handle; closing again does nothing.
function BME280:close() end

---@class devices.ADCOptions
---@field addr? integer 0x48 (default)..0x4B
---@field max_voltage? number the largest voltage to read, which picks the gain (default 4.096, up to 6.144)
---@field rate? number samples a second (default the fastest: 860 ADS1115, 3300 ADS1015)

---@class devices.ADCReading
---@field voltage number V
---@field raw integer the converter's code

---A TI ADS1115 16-bit 4-channel ADC (the Pi has no ADC).
---@param bus devices.Bus
---@param opts? devices.ADCOptions
---@return devices.ADS1115
function devices.ads1115(bus, opts) end

---A TI ADS1015, the ADS1115's 12-bit sibling.
---@param bus devices.Bus
---@param opts? devices.ADCOptions
---@return devices.ADS1015
function devices.ads1015(bus, opts) end

---An ADS1115; tostring gives "ads1115(0x48 on I2C1)".
---@class devices.ADS1115
local ADS1115 = {}

---Converts one channel. Errors: 'no channel 4; channels are 0..3 (against ground) or "0-1", "0-3", "1-3", "2-3" (differential)'.
---@param channel integer|string 0..3 against ground, or "0-1", "0-3", "1-3", "2-3"
---@return devices.ADCReading
function ADS1115:read(channel) end

---Closes the handle.
function ADS1115:close() end

---An ADS1015; tostring gives "ads1015(0x48 on I2C1)".
---@class devices.ADS1015
local ADS1015 = {}

---Converts one channel, as ADS1115:read.
---@param channel integer|string 0..3 against ground, or "0-1", "0-3", "1-3", "2-3"
---@return devices.ADCReading
function ADS1015:read(channel) end

---Closes the handle.
function ADS1015:close() end

---@class devices.INA219Options
---@field addr? integer 0x40 (default)..0x4F
---@field shunt_ohms? number the shunt resistor (default 0.1)
---@field max_current? number A, the largest current expected (default 3.2), which sets the resolution

---@class devices.Power
---@field voltage number V on the bus (load) side
---@field current number A through the shunt
---@field power number W
---@field shunt number V across the shunt

---A TI INA219 current and power monitor.
---@param bus devices.Bus
---@param opts? devices.INA219Options
---@return devices.INA219
function devices.ina219(bus, opts) end

---An INA219; tostring gives "ina219(0x40 on I2C1)".
---@class devices.INA219
local INA219 = {}

---Reads voltage, current and power.
---@return devices.Power
function INA219:read() end

---Closes the handle.
function INA219:close() end

---@class devices.BH1750Options
---@field addr? integer 0x23 (default) or 0x5C
---@field resolution? "high"|"low" 1 lx (default) or 4 lx

---A ROHM BH1750 ambient light sensor.
---@param bus devices.Bus
---@param opts? devices.BH1750Options
---@return devices.BH1750
function devices.bh1750(bus, opts) end

---A BH1750; tostring gives "bh1750(0x23 on I2C1)".
---@class devices.BH1750
local BH1750 = {}

---Measures the light (about 120 ms; Ctrl-C ends the wait).
---@return {lux: number} reading lux
function BH1750:read() end

---Powers the sensor down and closes the handle.
function BH1750:close() end

---@class devices.MCP9808Options
---@field addr? integer 0x18 (default)..0x1F

---A Microchip MCP9808 ±0.25 °C temperature sensor.
---@param bus devices.Bus
---@param opts? devices.MCP9808Options
---@return devices.MCP9808
function devices.mcp9808(bus, opts) end

---An MCP9808; tostring gives "mcp9808(0x18 on I2C1)".
---@class devices.MCP9808
local MCP9808 = {}

---Reads the temperature.
---@return devices.Env reading temperature °C
function MCP9808:read() end

---Shuts the sensor down and closes the handle.
function MCP9808:close() end

---@class devices.TMP102Options
---@field addr? integer 0x48 (default)..0x4B

---A TI TMP102 temperature sensor.
---@param bus devices.Bus
---@param opts? devices.TMP102Options
---@return devices.TMP102
function devices.tmp102(bus, opts) end

---A TMP102; tostring gives "tmp102(0x48 on I2C1)".
---@class devices.TMP102
local TMP102 = {}

---Reads the temperature.
---@return devices.Env reading temperature °C
function TMP102:read() end

---Shuts the sensor down and closes the handle.
function TMP102:close() end

---@class devices.AHT20Options
---@field addr? integer 0x38, the only one

---An Aosong AHT20 temperature and humidity sensor.
---@param bus devices.Bus
---@param opts? devices.AHT20Options
---@return devices.AHT20
function devices.aht20(bus, opts) end

---An AHT20; tostring gives "aht20(0x38 on I2C1)".
---@class devices.AHT20
local AHT20 = {}

---Measures (about 80 ms; Ctrl-C ends the wait).
---@return devices.Env reading temperature °C, humidity %RH
function AHT20:read() end

---Closes the handle.
function AHT20:close() end

---@class devices.SSD1306Options
---@field addr? integer 0x3C (default) or 0x3D
---@field height? integer 64 (default) or 32
---@field flip? boolean rotate the picture by 180°

---A Solomon Systech SSD1306 128x64 (or 128x32) OLED on I2C. Drawing goes to a frame buffer; show() sends it.
---@param bus devices.Bus
---@param opts? devices.SSD1306Options
---@return devices.SSD1306
function devices.ssd1306(bus, opts) end

---An SSD1306; (0, 0) is the top left pixel, drawing off the screen is clipped.
---`on` arguments: true or 1 lights (the default), false or 0 darkens.
---@class devices.SSD1306
local SSD1306 = {}

---Darkens the whole frame buffer.
function SSD1306:clear() end

---Lights (or darkens) one pixel.
---@param x integer
---@param y integer
---@param on? boolean|integer
function SSD1306:pixel(x, y, on) end

---Draws a line.
---@param x0 integer
---@param y0 integer
---@param x1 integer
---@param y1 integer
---@param on? boolean|integer
function SSD1306:line(x0, y0, x1, y1, on) end

---Draws a rectangle's outline, or fills it.
---@param x integer
---@param y integer
---@param w integer
---@param h integer
---@param fill? boolean
---@param on? boolean|integer
function SSD1306:rect(x, y, w, h, fill, on) end

---Writes text in an 8x8 font (code page 437): 16 characters a line, 8 lines on 128x64.
---@param x integer the left of the first character
---@param y integer the top of the line
---@param s string
---@param on? boolean|integer
function SSD1306:text(x, y, s, on) end

---Sends the frame buffer to the display (only what changed).
function SSD1306:show() end

---Sets the brightness.
---@param level integer 0..255
function SSD1306:contrast(level) end

---Shows lit pixels dark and dark ones lit, or not.
---@param on boolean
function SSD1306:invert(on) end

---Turns the display off and closes the handle.
function SSD1306:close() end

---@class devices.PCA9685Options
---@field addr? integer 0x40 (default)..0x7F but 0x70
---@field freq? number Hz, 24..1526 (default 50, for servos)
---@field min_us? number servo pulse at 0° (default 500)
---@field max_us? number servo pulse at range° (default 2500)
---@field range? number the servos' travel in degrees (default 180)

---An NXP PCA9685 16-channel 12-bit PWM board, for servos and LEDs.
---@param bus devices.Bus
---@param opts? devices.PCA9685Options
---@return devices.PCA9685
function devices.pca9685(bus, opts) end

---A PCA9685; channels are 0..15.
---@class devices.PCA9685
local PCA9685 = {}

---Sets the PWM frequency of every channel.
---@param hz number 24..1526
function PCA9685:freq(hz) end

---Sets a channel's high time as a fraction of the period.
---@param channel integer 0..15
---@param fraction number 0..1
function PCA9685:duty(channel, fraction) end

---Sets a channel's high time in microseconds.
---@param channel integer 0..15
---@param us number
function PCA9685:pulse(channel, us) end

---Turns a servo: 0..range degrees maps to min_us..max_us.
---@param channel integer 0..15
---@param degrees number 0..range
function PCA9685:servo(channel, degrees) end

---Turns a channel fully off (a servo goes limp).
---@param channel integer 0..15
function PCA9685:off(channel) end

---Turns every channel off and closes the handle.
function PCA9685:close() end

---@class devices.HT16K33Options
---@field addr? integer 0x70 (default)..0x77

---A Holtek HT16K33 driving a 4-character 14-segment display (Adafruit's alphanumeric backpack).
---@param bus devices.Bus
---@param opts? devices.HT16K33Options
---@return devices.HT16K33
function devices.ht16k33(bus, opts) end

---An HT16K33 alphanumeric display.
---@class devices.HT16K33
local HT16K33 = {}

---Shows up to 4 characters (printable ASCII), right-aligned; "." lights the previous character's point,
---or that of a blank of its own where there is none (".5", "1..2"). Text that does not fit is an error.
---@param s string
function HT16K33:text(s) end

---Sets the brightness.
---@param level integer 0..15
function HT16K33:brightness(level) end

---Blinks the display.
---@param hz number 0 (steady), 0.5, 1 or 2
function HT16K33:blink(hz) end

---Darkens every segment.
function HT16K33:clear() end

---Darkens the display and closes the handle.
function HT16K33:close() end

---@class devices.WS2812Options
---@field leds? integer the strip's length (default 8)

---A strip of WS2812B (NeoPixel) LEDs on an SPI port's MOSI (periph's nrzled at 2.5 MHz).
---@param port string e.g. "SPI0.0"
---@param opts? devices.WS2812Options
---@return devices.WS2812
function devices.ws2812(port, opts) end

---A WS2812 strip; LEDs count from 1, nearest the Pi. Colors: r, g, b (0..255 each) or 0xRRGGBB.
---@class devices.WS2812
local WS2812 = {}

---Sets one LED's color (show() sends it).
---@param i integer 1..count
---@param r integer red, or the whole color 0xRRGGBB
---@param g? integer
---@param b? integer
function WS2812:set(i, r, g, b) end

---Sets every LED's color.
---@param r integer red, or the whole color 0xRRGGBB
---@param g? integer
---@param b? integer
function WS2812:fill(r, g, b) end

---Sets every LED dark (show() sends it).
function WS2812:clear() end

---Sends the colors to the strip.
function WS2812:show() end

---The number of LEDs.
---@return integer
function WS2812:count() end

---Darkens the strip and closes the handle.
function WS2812:close() end

---@class devices.HD44780Options
---@field addr? integer 0x27 (default), 0x20..0x26, 0x3F or 0x38..0x3E (PCF8574 or PCF8574A backpack)
---@field cols? integer 16 (default) or 20
---@field rows? integer 1, 2 (default) or 4
---@field backlight? boolean default true

---A character LCD (HD44780, 16x2 or 20x4) on the PCF8574 I2C backpack it is sold with (moonpin's
---Go driver; on the simulated board declare it in a board file, e.g. examples/workbench.json).
---@param bus devices.Bus
---@param opts? devices.HD44780Options
---@return devices.HD44780
function devices.hd44780(bus, opts) end

---An HD44780 LCD; (0, 0) is the top left character.
---@class devices.HD44780
local HD44780 = {}

---Writes s from column col of row row, cut at the end of the row.
---@param col integer 0..cols-1
---@param row integer 0..rows-1
---@param s string
function HD44780:text(col, row, s) end

---Blanks every character.
function HD44780:clear() end

---Turns the backlight on or off.
---@param on boolean|integer
function HD44780:backlight(on) end

---Shows or hides the underline cursor.
---@param on boolean
function HD44780:cursor(on) end

---Clears the LCD, turns it and its backlight off and closes the handle.
function HD44780:close() end

---@class devices.MCP23017Options
---@field addr? integer 0x20 (default)..0x27

---A Microchip MCP23017 16-pin I/O expander (periph's mcp23xxx). Pins are 0..15 (A0..A7, then
---B0..B7) or their names "A0".."B7".
---@param bus devices.Bus
---@param opts? devices.MCP23017Options
---@return devices.MCP23017
function devices.mcp23017(bus, opts) end

---An MCP23017; every pin is an input until mode() says otherwise.
---@class devices.MCP23017
local MCP23017 = {}

---Makes a pin an output (low), an input, or an input with its 100 kΩ pull-up.
---@param pin integer|string 0..15 or "A0".."B7"
---@param mode "out"|"in"|"in_pullup"
function MCP23017:mode(pin, mode) end

---Sets an output pin.
---@param pin integer|string
---@param level integer|boolean 0, 1, true or false
function MCP23017:write(pin, level) end

---A pin's level.
---@param pin integer|string
---@return integer level 0 or 1
function MCP23017:read(pin) end

---Makes every pin an input again and closes the handle.
function MCP23017:close() end

---@class devices.ADXL345Options
---@field addr? integer 0x53 (default) or 0x1D
---@field range? number 2 (default), 4, 8 or 16 g

---@class devices.Acceleration
---@field x number g
---@field y number g
---@field z number g (about 1 at rest, flat)

---An Analog Devices ADXL345 accelerometer on I2C (moonpin's Go driver), full resolution (3.9 mg).
---@param bus devices.Bus
---@param opts? devices.ADXL345Options
---@return devices.ADXL345
function devices.adxl345(bus, opts) end

---An ADXL345.
---@class devices.ADXL345
local ADXL345 = {}

---Reads the acceleration.
---@return devices.Acceleration
function ADXL345:read() end

---Puts the part in standby and closes the handle.
function ADXL345:close() end

---@class devices.HX711Pins
---@field clk string the pin wired to PD_SCK, e.g. "GPIO5"
---@field data string the pin wired to DOUT, e.g. "GPIO6"

---@class devices.HX711Options
---@field scale? number counts per unit of weight, found by weighing something known (default 1)
---@field offset? number the counts with nothing on the cell (default 0; tare() measures it)

---@class devices.Weight
---@field weight number (counts - offset) / scale, in the unit scale was found in
---@field counts number the raw 24-bit conversion

---An Avia HX711 load-cell amplifier on two GPIO pins, bit-banged by periph's hx711 (channel A,
---gain 128).
---@param pins devices.HX711Pins
---@param opts? devices.HX711Options
---@return devices.HX711
function devices.hx711(pins, opts) end

---An HX711; tostring gives "hx711(clk GPIO5, data GPIO6)".
---@class devices.HX711
local HX711 = {}

---Waits up to 1 s for a conversion and reads it.
---@return devices.Weight
function HX711:read() end

---Averages n conversions with nothing on the cell and makes that the offset.
---@param n? integer 1..100 (default 10)
---@return number offset
function HX711:tare(n) end

---Closes the handle and releases the pins.
function HX711:close() end

---@class devices.APA102Options
---@field leds? integer the strip's length (default 8)
---@field brightness? integer 0..255 (default 255)

---A strip of APA102 (DotStar) LEDs on an SPI port's MOSI and SCLK (periph's apa102, colors passed
---through). On the simulated board declare it in a board file, e.g. SPI1.1 in examples/workbench.json.
---@param port string e.g. "SPI0.0"
---@param opts? devices.APA102Options
---@return devices.APA102
function devices.apa102(port, opts) end

---An APA102 strip; the same methods as a WS2812 strip.
---@class devices.APA102
local APA102 = {}

---Sets one LED's color (show() sends it).
---@param i integer 1..count
---@param r integer red, or the whole color 0xRRGGBB
---@param g? integer
---@param b? integer
function APA102:set(i, r, g, b) end

---Sets every LED's color.
---@param r integer red, or the whole color 0xRRGGBB
---@param g? integer
---@param b? integer
function APA102:fill(r, g, b) end

---Sets every LED dark (show() sends it).
function APA102:clear() end

---Sends the colors to the strip.
function APA102:show() end

---The number of LEDs.
---@return integer
function APA102:count() end

---Darkens the strip and closes the handle.
function APA102:close() end

---@class devices.MAX7219Options
---@field digits? integer 1..8 (default 8)

---A Maxim MAX7219 with a 7-segment display of up to 8 digits on an SPI port (periph's max7219, Code B).
---On the simulated board declare it in a board file, e.g. SPI1.2 in examples/workbench.json.
---@param port string e.g. "SPI0.0"
---@param opts? devices.MAX7219Options
---@return devices.MAX7219
function devices.max7219(port, opts) end

---A MAX7219 display.
---@class devices.MAX7219
local MAX7219 = {}

---Shows s right-aligned: digits, space, -, E, H, L, P, and "." for the previous digit's point,
---or that of a blank of its own where there is none (".5", "1..2"). Text that does not fit is an error.
---@param s string
function MAX7219:text(s) end

---Sets the brightness.
---@param level integer 0..15
function MAX7219:brightness(level) end

---Blanks every digit.
function MAX7219:clear() end

---Blanks the digits and closes the handle.
function MAX7219:close() end

---@class devices.SCD4xOptions
---@field addr? integer 0x62, the only one

---@class devices.Air
---@field co2 number ppm
---@field temperature number °C
---@field humidity number %RH

---A Sensirion SCD40/SCD41 CO2 sensor (periph's scd4x), measuring every 5 s. On the simulated board
---declare it in a board file, e.g. 0x62 in examples/workbench.json.
---@param bus devices.Bus
---@param opts? devices.SCD4xOptions
---@return devices.SCD4x
function devices.scd4x(bus, opts) end

---An SCD4x.
---@class devices.SCD4x
local SCD4x = {}

---Waits (up to 6 s) for a measurement not yet read and returns it.
---@return devices.Air
function SCD4x:read() end

---Stops the measurement (0.5 s) and closes the handle.
function SCD4x:close() end

---@class devices.MCP3008Options
---@field vref? number the voltage on VREF, the full scale: 0.25..5.5 (default 3.3)

---A Microchip MCP3008 8-channel 10-bit ADC on an SPI port (moonpin's Go driver; periph has none).
---@param port string e.g. "SPI0.0"
---@param opts? devices.MCP3008Options
---@return devices.MCP3008
function devices.mcp3008(port, opts) end

---An MCP3008.
---@class devices.MCP3008
local MCP3008 = {}

---Reads a channel against ground.
---@param channel integer 0..7
---@return devices.ADCReading
function MCP3008:read(channel) end

---Closes the handle.
function MCP3008:close() end

--------------------------------------------------------------------------------
-- sim (only on the simulated board)
--------------------------------------------------------------------------------

---Plays the outside world of the simulated board (present only there): drives inputs, sets what
---the sensors measure (sim.env, sim.device, sim.adc), and shows what outputs and displays did
---(sim.history, sim.pwm, sim.device, sim.screen).
---Errors from the board are "sim: ...".
sim = {}

---@class sim.Change
---@field level integer 0 or 1
---@field t_us integer when, on the time.ticks_us clock

---@class sim.EnvOptions
---@field temperature? number °C
---@field pressure? number hPa
---@field humidity? number %RH
---@field bus? string default "I2C1"
---@field addr? integer one sensor (0x03..0x77); without it, every sensor on the bus that measures any of these

---Drives an input from outside, as a button or sensor would.
---@param pin string e.g. "GPIO27"
---@param level integer|boolean 0, 1, true or false
function sim.set(pin, level) end

---Stops driving an input; its pull decides its level again.
---@param pin string
function sim.release(pin) end

---The levels an output was set to, oldest first.
---@param pin string
---@return sim.Change[]
function sim.history(pin) end

---The duty (0 to 1) and frequency in Hz of the PWM a pin runs, or nil when it runs none.
---@param pin string
---@return number|nil duty
---@return number? hz
function sim.pwm(pin) end

---Sets what the simulated environment sensors measure (BME280, BMP280, MCP9808, TMP102, AHT20, SCD4x), each
---taking the quantities it measures. Errors: "sim: bme280: temperature 99 is outside -40..85 °C".
---@param opts sim.EnvOptions
function sim.env(opts) end

---Sets an MCP3008 input voltage.
---@param channel integer 0..7
---@param volts number
---@param port? string default "SPI0.0"
function sim.adc(channel, volts, port) end

---@class sim.ScreenOptions
---@field png? string also write the screen as a PNG, a path under the script root
---@field scale? integer pixels of the PNG per screen pixel, 1..16 (default 4)

---A simulated device's state (what it measures and shows, in the units of `devices`), after setting
---the quantities in values: sim.device("I2C1", 0x23, {lux = 800}). For an SPI port's device, pass
---its port and nil. What each takes: bme280 temperature, pressure, humidity; bmp280 temperature,
---pressure; mcp9808, tmp102 temperature; aht20 temperature, humidity; bh1750 lux; ads1115/ads1015
---a0..a3 (V); ina219 voltage (V), current (A). What each shows besides: ssd1306 on, inverted, contrast,
---width, height, screen; pca9685 freq, sleeping, duty[1..16], pulse_us[1..16]; ht16k33 on, blink,
---brightness, rows[1..8]; ws2812 leds (0xRRGGBB each). Parts a board file declares (see
---examples/workbench.json): adxl345 takes x, y, z (g) and shows measuring; mcp23017 takes a0..a7,
---b0..b7 (0 or 1, driving inputs) and shows outputs[1..16], levels[1..16]; hx711 (pass its clk pin
---and nil) takes load (kg; 8000 counts unloaded, 42000 more a kg) and rate (conversions a second, 10
---or 80 as the chip's RATE pin sets; 0, the default, for each ready at once) and shows counts; hd44780 shows
---on, backlight, cursor, two_lines, cols, rows, text; apa102 leds (0xRRGGBB each), brightness
---(0..31 each); max7219 text, on, intensity, digits[1..8] (raw, rightmost first). scd4x takes co2 (ppm),
---temperature, humidity and shows measuring.
---Errors list what is there: "sim: no simulated device at 0x21 on I2C1; it has mcp9808 at 0x18, ...".
---@param bus string an I2C bus or SPI port, e.g. "I2C1", "SPI1.0"
---@param addr? integer the I2C address
---@param values? table<string, number>
---@return table state
function sim.device(bus, addr, values) end

---What a simulated display shows, as text in a frame (two pixel rows a line, in half blocks; a
---character LCD's characters). The PNG draws an LCD's characters in an 8x8 font.
---@param bus string e.g. "I2C1"
---@param addr integer e.g. 0x3c
---@param opts? sim.ScreenOptions
---@return string art
function sim.screen(bus, addr, opts) end
