package lua

import (
	"fmt"
	"os"
	"strings"
	"time"
)

var startedAt time.Time

func init() {
	startedAt = time.Now()
}

func getIntField(L *LState, tb *LTable, key string, v int) int {
	ret := tb.RawGetString(key)

	switch lv := ret.(type) {
	case LNumber:
		return int(lv)
	case LString:
		slv := string(lv)
		slv = strings.TrimLeft(slv, " ")
		if strings.HasPrefix(slv, "0") && !strings.HasPrefix(slv, "0x") && !strings.HasPrefix(slv, "0X") {
			// Standard lua interpreter only support decimal and hexadecimal
			slv = strings.TrimLeft(slv, "0")
			if slv == "" {
				return 0
			}
		}
		if num, err := parseNumber(slv); err == nil {
			return int(num)
		}
	}
	// moonpin: as Lua 5.1, a field without a default (day, month, year)
	// that is not a number is missing.
	if v < 0 {
		L.RaiseError("field '%s' missing in date table", key)
	}
	return v
}

func OpenOs(L *LState) int {
	osmod := L.RegisterModule(OsLibName, osFuncs)
	L.Push(osmod)
	return 1
}

var osFuncs = map[string]LGFunction{
	"clock":     osClock,
	"difftime":  osDiffTime,
	"execute":   osExecute,
	"exit":      osExit,
	"date":      osDate,
	"getenv":    osGetEnv,
	"remove":    osRemove,
	"rename":    osRename,
	"setenv":    osSetEnv,
	"setlocale": osSetLocale,
	"time":      osTime,
	"tmpname":   osTmpname,
}

// moonpin: the process's CPU time (cpuSeconds, oslib_clock_unix.go), as
// Lua 5.1's clock(), not the wall time since start.
func osClock(L *LState) int {
	L.Push(LNumber(cpuSeconds()))
	return 1
}

func wallSeconds() float64 {
	return float64(time.Now().Sub(startedAt)) / float64(time.Second)
}

func osDiffTime(L *LState) int {
	// moonpin: the second time is 0 when left out, and checked first
	// (gcc's order for C's arguments), as in lua5.1
	t2 := L.OptInt64(2, 0)
	L.Push(LNumber(L.CheckInt64(1) - t2))
	return 1
}

func osExecute(L *LState) int {
	var procAttr os.ProcAttr
	procAttr.Files = []*os.File{os.Stdin, os.Stdout, os.Stderr}
	cmd, args := popenArgs(L.CheckString(1))
	args = append([]string{cmd}, args...)
	process, err := os.StartProcess(cmd, args, &procAttr)
	if err != nil {
		L.Push(LNumber(1))
		return 1
	}

	ps, err := process.Wait()
	if err != nil || !ps.Success() {
		L.Push(LNumber(1))
		return 1
	}
	L.Push(LNumber(0))
	return 1
}

func osExit(L *LState) int {
	code := L.OptInt(1, 0) // moonpin: checked before the state is closed (upstream crashed)
	L.Close()
	os.Exit(code)
	return 1
}

func osDate(L *LState) int {
	t := time.Now().In(localZone())
	isUTC := false
	cfmt := "%c"
	if L.GetTop() >= 1 {
		cfmt = L.OptString(1, cfmt) // moonpin: nil is "%c", as in 5.1
		if strings.HasPrefix(cfmt, "!") {
			cfmt = cfmt[1:] // moonpin: one '!', as in 5.1 (upstream took them all)
			isUTC = true
		}
		if L.GetTop() >= 2 {
			t = time.Unix(L.OptInt64(2, t.Unix()), 0).In(localZone()) // moonpin: nil is now, as in 5.1
		}
		if isUTC {
			t = t.UTC()
		}
		if strings.HasPrefix(cfmt, "*t") {
			ret := L.NewTable()
			ret.RawSetString("year", LNumber(t.Year()))
			ret.RawSetString("month", LNumber(t.Month()))
			ret.RawSetString("day", LNumber(t.Day()))
			ret.RawSetString("hour", LNumber(t.Hour()))
			ret.RawSetString("min", LNumber(t.Minute()))
			ret.RawSetString("sec", LNumber(t.Second()))
			ret.RawSetString("wday", LNumber(t.Weekday()+1))
			ret.RawSetString("yday", LNumber(t.YearDay())) // moonpin: upstream 0
			ret.RawSetString("isdst", LBool(t.IsDST()))    // moonpin: upstream false
			L.Push(ret)
			return 1
		}
	}
	// moonpin: a conversion writes at most 16 bytes for each of its 2
	// ("%c" of a year with 12 digits), so the result's bound is checked
	// against the memory limit first: os.date(("%c"):rep(5e6)) made 120 MB
	// under a 64 MB limit.
	L.checkAllocProduct(len(cfmt), 16)
	var p Poller
	L.Push(LString(strftime(t, cfmt, func() { p.Poll(L) })))
	return 1
}

func osGetEnv(L *LState) int {
	v := os.Getenv(L.CheckString(1))
	if len(v) == 0 {
		L.Push(LNil)
	} else {
		L.Push(LString(v))
	}
	return 1
}

func osRemove(L *LState) int {
	err := os.Remove(L.CheckString(1))
	if err != nil {
		L.Push(LNil)
		L.Push(LString(err.Error()))
		return 2
	} else {
		L.Push(LTrue)
		return 1
	}
}

func osRename(L *LState) int {
	err := os.Rename(L.CheckString(1), L.CheckString(2))
	if err != nil {
		L.Push(LNil)
		L.Push(LString(err.Error()))
		return 2
	} else {
		L.Push(LTrue)
		return 1
	}
}

// osSetLocale is Lua 5.1's os.setlocale for a program that stays in the C
// locale, as Go's formatting does (moonpin; upstream returned false for
// anything): the query (nil) and the locales that are C ("C", "POSIX",
// "", the environment's, which a Go program does not follow) give "C";
// others fail with nil. The arguments are checked as in 5.1.
func osSetLocale(L *LState) int {
	locale := L.OptString(1, "")
	category := L.OptString(2, "all")
	switch category {
	case "all", "collate", "ctype", "monetary", "numeric", "time":
	default:
		L.ArgError(2, fmt.Sprintf("invalid option '%s'", category))
	}
	switch locale {
	case "", "C", "POSIX":
		L.Push(LString("C"))
	default:
		L.Push(LNil)
	}
	return 1
}

func osSetEnv(L *LState) int {
	err := os.Setenv(L.CheckString(1), L.CheckString(2))
	if err != nil {
		L.Push(LNil)
		L.Push(LString(err.Error()))
		return 2
	} else {
		L.Push(LTrue)
		return 1
	}
}

func osTime(L *LState) int {
	if L.GetTop() == 0 {
		L.Push(LNumber(time.Now().Unix()))
	} else {
		lv := L.CheckAny(1)
		if lv == LNil {
			L.Push(LNumber(time.Now().Unix()))
		} else {
			tbl, ok := lv.(*LTable)
			if !ok {
				L.TypeError(1, LTTable)
			}
			sec := getIntField(L, tbl, "sec", 0)
			min := getIntField(L, tbl, "min", 0)
			hour := getIntField(L, tbl, "hour", 12)
			// moonpin: as Lua 5.1, day, month and year must be there
			// (upstream took -1 and gave a date 2000 years back).
			day := getIntField(L, tbl, "day", -1)
			month := getIntField(L, tbl, "month", -1)
			year := getIntField(L, tbl, "year", -1)
			t := time.Date(year, time.Month(month), day, hour, min, sec, 0, localZone())
			// moonpin: isdst as 5.1's getboolfield reads it: nil leaves
			// it to the zone, anything else is its truth (upstream
			// ignored it).
			unix := t.Unix()
			if dst := tbl.RawGetString("isdst"); dst != LNil {
				wall := time.Date(year, time.Month(month), day, hour, min, sec, 0, time.UTC).Unix()
				unix = withDST(unix, wall, LVAsBool(dst))
			}
			L.Push(LNumber(unix))
		}
	}
	return 1
}

// localZone is the zone of os.time and os.date: the process's (moonpin: a
// variable for the tests, which try a zone with daylight saving time).
var localZone = func() *time.Location { return time.Local }

// withDST is the time of the wall clock wall (its seconds as if UTC) in
// the local zone with daylight saving time on or off, as glibc's mktime
// for a tm_isdst of 1 or 0, which 5.1's os.time calls: t, the zone's own
// reading of wall, if that reads as wall with the isdst asked; else wall
// read with the offset of the nearest time that has that isdst, searched
// for as glibc does (steps of 601200 s, back then forward, up to 7.3
// years away), so a wall time that the clocks skip reads as asked;
// else an hour apart, as glibc assumes when the zone has none.
func withDST(t, wall int64, dst bool) int64 {
	lt := time.Unix(t, 0).In(localZone())
	_, offset := lt.Zone()
	if lt.IsDST() == dst && t+int64(offset) == wall {
		return t
	}
	const stride = 601200
	const deltaBound = 457243200/2 + stride
	for delta := int64(stride); delta < deltaBound; delta += stride {
		for _, o := range [2]int64{t - delta, t + delta} {
			ot := time.Unix(o, 0).In(localZone())
			if ot.IsDST() == dst {
				_, offset := ot.Zone()
				return wall - int64(offset)
			}
		}
	}
	if dst {
		return t - 3600
	}
	return t + 3600
}

func osTmpname(L *LState) int {
	file, err := os.CreateTemp("", "")
	if err != nil {
		L.RaiseError("unable to generate a unique filename")
	}
	file.Close()
	os.Remove(file.Name()) // ignore errors
	L.Push(LString(file.Name()))
	return 1
}

//
