// Package ha is the Lua `ha` module: Home Assistant MQTT discovery. A device
// connects to the broker with a Last Will that marks it unavailable, and
// announces its sensors, binary sensors and switches with retained
// discovery configs, so they appear in Home Assistant without any YAML.
// Configs, availability and states are published again on every
// reconnection and when Home Assistant comes online.
package ha

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/moonpin/moonpin/hal"
	"github.com/moonpin/moonpin/interp/host"
	"github.com/moonpin/moonpin/interp/lib/mqtt"
	lua "github.com/yuin/gopher-lua"
)

const (
	deviceType = "ha.device"
	entityType = "ha.entity"

	online  = "online"
	offline = "offline"
)

var builtins = map[string]lua.LGFunction{
	"device": newDevice,
}

var deviceMethods = map[string]lua.LGFunction{
	"sensor":        func(L *lua.LState) int { return addEntity(L, "sensor") },
	"binary_sensor": func(L *lua.LState) int { return addEntity(L, "binary_sensor") },
	"switch":        func(L *lua.LState) int { return addEntity(L, "switch") },
	"close": func(L *lua.LState) int {
		if err := checkDevice(L).client.CloseWithin(time.Second, interrupt(L)); err != nil {
			raise(L, err)
		}
		return 0
	},
}

var entityMethods = map[string]lua.LGFunction{
	"set": set,
}

// Loader pushes the module table.
func Loader(L *lua.LState) int {
	dmt := L.NewTypeMetatable(deviceType)
	L.SetField(dmt, "__index", indexer(L, deviceType, dmt, deviceMethods, func(L *lua.LState, key string) lua.LValue {
		d := checkDevice(L)
		switch key {
		case "client":
			return d.clientValue
		case "id":
			return lua.LString(d.id)
		case "name":
			return lua.LString(d.name)
		case "availability_topic":
			return lua.LString(d.availability)
		}
		return lua.LNil
	}))
	L.SetField(dmt, "__tostring", L.NewFunction(func(L *lua.LState) int {
		d := checkDevice(L)
		L.Push(lua.LString(fmt.Sprintf("ha.device(%s, %d entities)", d.id, len(d.entities))))
		return 1
	}))
	emt := L.NewTypeMetatable(entityType)
	L.SetField(emt, "__index", indexer(L, entityType, emt, entityMethods, func(L *lua.LState, key string) lua.LValue {
		e := checkEntity(L)
		switch key {
		case "value":
			if e.state == "" {
				return lua.LNil
			}
			return lua.LString(e.state)
		case "unique_id":
			return lua.LString(e.uniqueID)
		case "state_topic":
			return lua.LString(e.stateTopic)
		case "command_topic":
			if e.component == "switch" {
				return lua.LString(e.commandTopic)
			}
		case "config_topic":
			return lua.LString(e.configTopic)
		}
		return lua.LNil
	}))
	L.SetField(emt, "__tostring", L.NewFunction(func(L *lua.LState) int {
		e := checkEntity(L)
		L.Push(lua.LString(fmt.Sprintf("ha.%s(%s)", e.component, e.uniqueID)))
		return 1
	}))
	L.Push(host.Module(L, "ha", builtins))
	return 1
}

// indexer makes an __index function: methods first, then fields.
func indexer(L *lua.LState, typeName string, mt *lua.LTable, methods map[string]lua.LGFunction, field func(L *lua.LState, key string) lua.LValue) *lua.LFunction {
	table := host.Methods(L, typeName, mt, methods)
	return L.NewFunction(func(L *lua.LState) int {
		key := L.CheckString(2)
		if m := table.RawGetString(key); m != lua.LNil {
			L.Push(m)
		} else {
			L.Push(field(L, key))
		}
		return 1
	})
}

type device struct {
	h           *host.Host
	client      *mqtt.Client
	clientValue *lua.LUserData
	id, name    string
	prefix      string // discovery prefix, "homeassistant"
	base        string // where the device's own topics live, "moonpin/<id>"
	info        map[string]any
	entities    []*entity
	// availability is the topic the will marks offline.
	availability string
}

type entity struct {
	dev          *device
	component    string
	uniqueID     string
	config       map[string]any
	configTopic  string
	stateTopic   string
	commandTopic string
	state        string // the last state payload; "" before the first set
	onCommand    *lua.LFunction
}

// deviceOptions are ha.device's own keys; the rest go to mqtt.connect.
var deviceOptions = []string{"name", "id", "prefix", "topic", "model", "manufacturer", "sw_version", "hw_version", "suggested_area"}

// isID reports whether s is a Home Assistant id: letters, digits, _ and -,
// at least one.
func isID(s string) bool {
	for _, c := range []byte(s) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return s != ""
}

// newDevice implements ha.device{name = ..., id = ..., url = ..., ...}.
func newDevice(L *lua.LState) int {
	opts := L.CheckTable(1)
	cfg := mqtt.CheckConfig(L, opts, 1, deviceOptions...)
	str := func(key, def string) string {
		switch v := opts.RawGetString(key).(type) {
		case *lua.LNilType:
			return def
		case lua.LString:
			return string(v)
		default:
			host.ArgError(L, 1, "%s must be a string, got %s", key, v.Type())
			return ""
		}
	}
	h := host.Of(L)
	d := &device{
		h:      h,
		name:   str("name", ""),
		id:     str("id", ""),
		prefix: str("prefix", "homeassistant"),
	}
	if d.name == "" {
		host.ArgError(L, 1, "name is required: the device's name in Home Assistant")
	}
	if !isID(d.id) {
		host.ArgError(L, 1, "id must be letters, digits, _ and - only (it is part of topics and unique ids), got %s", hal.Quoted(d.id))
	}
	d.base = str("topic", "moonpin/"+d.id)
	d.availability = d.base + "/availability"
	for _, o := range []struct{ key, topic string }{{"prefix", d.prefix + "/status"}, {"topic", d.availability}} {
		if err := mqtt.CheckTopic(o.topic); err != nil {
			host.ArgError(L, 1, "%s: %s", o.key, err)
		}
	}
	d.info = map[string]any{
		"identifiers":  []string{"moonpin_" + d.id},
		"name":         d.name,
		"manufacturer": str("manufacturer", "moonpin"),
	}
	if model := str("model", boardName(h)); model != "" {
		d.info["model"] = model
	}
	for _, key := range []string{"sw_version", "hw_version", "suggested_area"} {
		if v := str(key, ""); v != "" {
			d.info[key] = v
		}
	}
	if cfg.Will != nil {
		host.ArgError(L, 1, "will is set by ha: the availability topic, marked offline")
	}
	if cfg.ClientID == "" {
		cfg.ClientID = "moonpin-" + d.id
	}
	cfg.Will = &mqtt.Message{Topic: d.availability, Payload: []byte(offline), QoS: 1, Retain: true}
	c, err := mqtt.Connect(h, cfg, interrupt(L))
	if errors.Is(err, mqtt.ErrInterrupted) {
		host.RaiseCancel(L)
	}
	if err != nil {
		L.RaiseError("ha.device: %s", err)
	}
	d.client = c
	d.clientValue = mqtt.Wrap(L, c)
	c.OnConnect(d.announce)
	c.OnClose(func() { d.publishFromHook(d.availability, offline) })
	statusTopic := d.prefix + "/status"
	err = c.Subscribe(statusTopic, 1, func(_ string, payload []byte) {
		if string(payload) == online {
			d.announce() // Home Assistant restarted and lost what it knew
		}
	})
	if err != nil {
		L.RaiseError("ha.device: %s", err)
	}
	L.Push(host.NewHandle(L, deviceType, d))
	return 1
}

func boardName(h *host.Host) string {
	if h.Board == nil {
		return ""
	}
	return h.Board.Name()
}

// announce publishes every entity's config, the device's availability and
// the states known so far. Loop goroutine.
func (d *device) announce() {
	for _, e := range d.entities {
		d.publishFromHook(e.configTopic, e.configJSON())
	}
	d.publishFromHook(d.availability, online)
	for _, e := range d.entities {
		if e.state != "" {
			d.publishFromHook(e.stateTopic, e.state)
		}
	}
}

// publish sends a retained QoS 1 message.
func (d *device) publish(topic, payload string, interrupt <-chan struct{}) error {
	return d.client.Publish(mqtt.Message{Topic: topic, Payload: []byte(payload), QoS: 1, Retain: true}, interrupt)
}

// publishFromHook publishes from a connection hook or message handler,
// where no script is running to raise an error in: it reports failures.
func (d *device) publishFromHook(topic, payload string) {
	if err := d.client.PublishFromHook(mqtt.Message{Topic: topic, Payload: []byte(payload), QoS: 1, Retain: true}); err != nil {
		fmt.Fprintf(d.h.Out, "ha: %s: publishing %s: %s\n", d.id, hal.Quoted(topic), err)
	}
}

// entityOptions are consumed by addEntity; other keys go into the discovery
// config as they are (icon, entity_category, suggested_display_precision...).
var entityOptions = map[string]bool{"name": true, "id": true, "unit": true, "on_command": true}

// managed keys are set by ha and may not be given.
var managed = map[string]bool{
	"unique_id": true, "state_topic": true, "command_topic": true, "device": true,
	"availability": true, "availability_topic": true, "origin": true,
	"payload_on": true, "payload_off": true, "unit_of_measurement": true,
}

// isKey reports whether s is an attribute key: a lower-case letter, then
// lower-case letters, digits and _.
func isKey(s string) bool {
	for i, c := range []byte(s) {
		if !('a' <= c && c <= 'z' || i > 0 && ('0' <= c && c <= '9' || c == '_')) {
			return false
		}
	}
	return s != ""
}

// addEntity implements dev:sensor{...}, dev:binary_sensor{...} and
// dev:switch{...}.
func addEntity(L *lua.LState, component string) int {
	d := checkDevice(L)
	if d.client.Closed() {
		L.RaiseError("ha: device %s is closed", d.id)
	}
	opts := L.CheckTable(2)
	name, ok := opts.RawGetString("name").(lua.LString)
	if !ok || name == "" {
		host.ArgError(L, 2, "name is required: the entity's name in Home Assistant")
	}
	objectID := slug(string(name))
	if id := opts.RawGetString("id"); id != lua.LNil {
		s, ok := id.(lua.LString)
		if !ok || !isID(string(s)) {
			host.ArgError(L, 2, "id must be letters, digits, _ and - only")
		}
		objectID = string(s)
	}
	if objectID == "" {
		host.ArgError(L, 2, "give an id: the name %s makes no usable one", hal.Quoted(string(name)))
	}
	e := &entity{
		dev:         d,
		component:   component,
		uniqueID:    d.id + "_" + objectID,
		configTopic: fmt.Sprintf("%s/%s/%s/%s/config", d.prefix, component, d.id, objectID),
		stateTopic:  fmt.Sprintf("%s/%s/state", d.base, objectID),
	}
	// Everything is checked before the entity is kept, connected or not:
	// one that failed stayed on the device, announced (and failing) at
	// every connection.
	for _, topic := range []string{e.configTopic, e.stateTopic} {
		if err := mqtt.CheckTopic(topic); err != nil {
			host.ArgError(L, 2, "the entity's topic: %s; give it a shorter id", err)
		}
	}
	for _, other := range d.entities {
		if other.uniqueID == e.uniqueID {
			L.RaiseError("ha: the device already has an entity %s; give this one another id", hal.Quoted(objectID))
		}
	}
	e.config = map[string]any{
		"name":         string(name),
		"unique_id":    e.uniqueID,
		"state_topic":  e.stateTopic,
		"device":       d.info,
		"origin":       map[string]any{"name": "moonpin", "support_url": "https://github.com/moonpin/moonpin"},
		"availability": []map[string]any{{"topic": d.availability, "payload_available": online, "payload_not_available": offline}},
	}
	opts.ForEach(func(k, v lua.LValue) {
		key, ok := k.(lua.LString)
		if !ok || entityOptions[string(key)] {
			return
		}
		if managed[string(key)] {
			host.ArgError(L, 2, "%s is set by ha", key)
		}
		if !isKey(string(key)) {
			host.ArgError(L, 2, "bad option %s", k)
		}
		switch v := v.(type) {
		case lua.LString:
			e.config[string(key)] = string(v)
		case lua.LNumber:
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				host.ArgError(L, 2, "%s must be a finite number", key)
			}
			e.config[string(key)] = float64(v)
		case lua.LBool:
			e.config[string(key)] = bool(v)
		default:
			host.ArgError(L, 2, "%s must be a string, number or boolean, got %s", key, v.Type())
		}
	})
	if unit := opts.RawGetString("unit"); unit != lua.LNil {
		if component != "sensor" {
			host.ArgError(L, 2, "unit is for sensors")
		}
		switch unit.(type) {
		case lua.LString, lua.LNumber:
		default:
			host.ArgError(L, 2, "unit must be a string or a number, got %s", unit.Type())
		}
		e.config["unit_of_measurement"] = unit.String()
		if _, ok := e.config["state_class"]; !ok {
			e.config["state_class"] = "measurement" // keeps long-term statistics
		}
	}
	if component != "sensor" {
		e.config["payload_on"], e.config["payload_off"] = "ON", "OFF"
	}
	fn, isFn := opts.RawGetString("on_command").(*lua.LFunction)
	switch {
	case component == "switch" && !isFn:
		host.ArgError(L, 2, "on_command is required: a function(on) that switches the thing")
	case component != "switch" && opts.RawGetString("on_command") != lua.LNil:
		host.ArgError(L, 2, "on_command is for switches")
	case component == "switch":
		e.onCommand = fn
		e.commandTopic = fmt.Sprintf("%s/%s/set", d.base, objectID)
		e.config["command_topic"] = e.commandTopic
		if err := mqtt.CheckFilter(e.commandTopic); err != nil {
			host.ArgError(L, 2, "the entity's topic: %s; give it a shorter id", err)
		}
	}
	config := e.configJSON()
	if limit := d.client.MaxPayload(); len(config) > limit {
		host.ArgError(L, 2, "its discovery config of %d bytes is over the limit of %d (max_payload)", len(config), limit)
	}
	if d.client.Connected() {
		if err := d.publish(e.configTopic, config, interrupt(L)); err != nil {
			raise(L, err)
		}
	}
	if e.onCommand != nil {
		if err := d.client.Subscribe(e.commandTopic, 1, e.command); err != nil {
			L.RaiseError("ha: %s", err)
		}
	}
	d.entities = append(d.entities, e)
	L.Push(host.NewHandle(L, entityType, e))
	return 1
}

// configJSON is the discovery config; its values are strings, numbers,
// booleans and tables of them, which always marshal.
func (e *entity) configJSON() string {
	b, _ := json.Marshal(e.config)
	return string(b)
}

// command handles "ON" or "OFF" from Home Assistant: on_command(on) runs and,
// if it raised no error, the switch reports the new state.
func (e *entity) command(_ string, payload []byte) {
	var on bool
	switch string(payload) {
	case "ON":
		on = true
	case "OFF":
	default:
		fmt.Fprintf(e.dev.h.Out, "ha: %s: ignoring command %s (want ON or OFF)\n", e.uniqueID, hal.Quoted(string(payload)))
		return
	}
	if e.dev.h.Callback(e.onCommand, lua.LBool(on)) != nil {
		return
	}
	e.state = onOff(on)
	e.dev.publishFromHook(e.stateTopic, e.state)
}

func onOff(on bool) string {
	if on {
		return "ON"
	}
	return "OFF"
}

// set(value) reports the entity's state: a number or string for a sensor,
// true/false (or 1/0) for a binary sensor or switch.
func set(L *lua.LState) int {
	e := checkEntity(L)
	if e.dev.client.Closed() {
		L.RaiseError("ha: device %s is closed", e.dev.id)
	}
	v := L.CheckAny(2)
	var state string
	switch e.component {
	case "sensor":
		switch v := v.(type) {
		case lua.LNumber:
			if f := float64(v); math.IsNaN(f) || math.IsInf(f, 0) {
				// Home Assistant refuses "nan" and "inf" as a
				// measurement and logs an error for each.
				host.ArgError(L, 2, "%s is not a reading Home Assistant takes; skip it, or set a string such as \"unknown\"", host.Number(f))
			}
			state = v.String()
		case lua.LString:
			state = v.String()
		default:
			L.ArgError(2, "expected a number or a string, got "+v.Type().String())
		}
	default:
		switch v := v.(type) {
		case lua.LBool:
			state = onOff(bool(v))
		case lua.LNumber:
			if v != 0 && v != 1 {
				// 2 or 0.5 is more likely a reading given the wrong
				// entity than a state.
				host.ArgError(L, 2, "expected true/false or 1/0, got %s", host.Number(float64(v)))
			}
			state = onOff(v == 1)
		default:
			L.ArgError(2, "expected true/false or 1/0, got "+v.Type().String())
		}
	}
	if state == "" {
		L.ArgError(2, "expected a value, got an empty string")
	}
	e.state = state
	// Offline, the value waits: the next connection publishes the latest.
	if e.dev.client.Connected() {
		if err := e.dev.publish(e.stateTopic, state, interrupt(L)); err != nil {
			raise(L, err)
		}
	}
	return 0
}

// slug makes an object id from a name: "Temperature (°C)" → "temperature_c".
func slug(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else if b.Len() > 0 && !strings.HasSuffix(b.String(), "_") {
			b.WriteByte('_')
		}
	}
	return strings.TrimSuffix(b.String(), "_")
}

func checkDevice(L *lua.LState) *device {
	if d, ok := L.CheckUserData(1).Value.(*device); ok {
		return d
	}
	L.ArgError(1, "ha device expected")
	return nil
}

func checkEntity(L *lua.LState) *entity {
	if e, ok := L.CheckUserData(1).Value.(*entity); ok {
		return e
	}
	L.ArgError(1, "ha entity expected")
	return nil
}

func interrupt(L *lua.LState) <-chan struct{} {
	if ctx := L.Context(); ctx != nil {
		return ctx.Done()
	}
	return nil
}

func raise(L *lua.LState, err error) {
	if errors.Is(err, mqtt.ErrInterrupted) {
		host.RaiseCancel(L)
	}
	L.RaiseError("ha: %s", err)
}
