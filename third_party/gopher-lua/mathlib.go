package lua

import (
	"math"
	"math/rand"
)

func OpenMath(L *LState) int {
	mod := L.RegisterModule(MathLibName, mathFuncs).(*LTable)
	mod.RawSetString("pi", LNumber(math.Pi))
	mod.RawSetString("huge", LNumber(math.Inf(1))) // moonpin: HUGE_VAL, as Lua 5.1 (upstream: MaxFloat64)
	L.Push(mod)
	return 1
}

var mathFuncs = map[string]LGFunction{
	"abs":        mathAbs,
	"acos":       mathAcos,
	"asin":       mathAsin,
	"atan":       mathAtan,
	"atan2":      mathAtan2,
	"ceil":       mathCeil,
	"cos":        mathCos,
	"cosh":       mathCosh,
	"deg":        mathDeg,
	"exp":        mathExp,
	"floor":      mathFloor,
	"fmod":       mathFmod,
	"frexp":      mathFrexp,
	"ldexp":      mathLdexp,
	"log":        mathLog,
	"log10":      mathLog10,
	"max":        mathMax,
	"min":        mathMin,
	"mod":        mathMod,
	"modf":       mathModf,
	"pow":        mathPow,
	"rad":        mathRad,
	"random":     mathRandom,
	"randomseed": mathRandomseed,
	"sin":        mathSin,
	"sinh":       mathSinh,
	"sqrt":       mathSqrt,
	"tan":        mathTan,
	"tanh":       mathTanh,
}

func mathAbs(L *LState) int {
	L.Push(LNumber(math.Abs(float64(L.CheckNumber(1)))))
	return 1
}

func mathAcos(L *LState) int {
	L.Push(LNumber(math.Acos(float64(L.CheckNumber(1)))))
	return 1
}

func mathAsin(L *LState) int {
	L.Push(LNumber(math.Asin(float64(L.CheckNumber(1)))))
	return 1
}

func mathAtan(L *LState) int {
	L.Push(LNumber(math.Atan(float64(L.CheckNumber(1)))))
	return 1
}

// moonpin: the second argument is checked first, as lua5.1 does: C leaves
// the order of a call's arguments to the compiler, and gcc evaluates them
// right to left.
func mathAtan2(L *LState) int {
	x := L.CheckNumber(2)
	L.Push(LNumber(math.Atan2(float64(L.CheckNumber(1)), float64(x))))
	return 1
}

func mathCeil(L *LState) int {
	L.Push(LNumber(math.Ceil(float64(L.CheckNumber(1)))))
	return 1
}

func mathCos(L *LState) int {
	L.Push(LNumber(math.Cos(float64(L.CheckNumber(1)))))
	return 1
}

func mathCosh(L *LState) int {
	L.Push(LNumber(math.Cosh(float64(L.CheckNumber(1)))))
	return 1
}

func mathDeg(L *LState) int {
	// moonpin: times 180/pi, as 5.1's x/(PI/180); upstream's x*180/pi
	// overflowed to inf from 1e306.
	L.Push(LNumber(float64(L.CheckNumber(1)) * (180 / math.Pi)))
	return 1
}

func mathExp(L *LState) int {
	L.Push(LNumber(math.Exp(float64(L.CheckNumber(1)))))
	return 1
}

func mathFloor(L *LState) int {
	L.Push(LNumber(math.Floor(float64(L.CheckNumber(1)))))
	return 1
}

// mathFmod checks its second argument first, as mathAtan2.
func mathFmod(L *LState) int {
	y := L.CheckNumber(2)
	L.Push(LNumber(math.Mod(float64(L.CheckNumber(1)), float64(y))))
	return 1
}

func mathFrexp(L *LState) int {
	v1, v2 := math.Frexp(float64(L.CheckNumber(1)))
	L.Push(LNumber(v1))
	L.Push(LNumber(v2))
	return 2
}

// mathLdexp checks its second argument first, as mathAtan2.
func mathLdexp(L *LState) int {
	exp := L.CheckInt(2)
	L.Push(LNumber(math.Ldexp(float64(L.CheckNumber(1)), exp)))
	return 1
}

func mathLog(L *LState) int {
	L.Push(LNumber(logOf(float64(L.CheckNumber(1)))))
	return 1
}

func mathLog10(L *LState) int {
	L.Push(LNumber(log10Of(float64(L.CheckNumber(1)))))
	return 1
}

// log10Of is log10 as C's (5.1's), nearly always correctly rounded
// (moonpin): Go's math.Log10 is log2(x)*(ln2/ln10), often a unit in the
// last place off, so math.log10(1e15) was 14.999999999999998 and a digit
// count math.floor(math.log10(n)) + 1 one short. Here x = m * 2^e with m
// near 1, and log10(x) = e*log10(2) + ln(m)/ln(10), the constants and the
// products held in two parts; powers of ten come out exact.
func log10Of(x float64) float64 {
	const (
		log10Of2Hi = 0.3010299956639812      // log10(2), rounded
		log10Of2Lo = -2.8037281277851704e-18 // log10(2) - log10Of2Hi
		invLn10Hi  = 0.4342944819032518      // 1/ln(10), rounded
		invLn10Lo  = 1.098319650216765e-17   // 1/ln(10) - invLn10Hi
	)
	if !(x > 0) || math.IsInf(x, 1) {
		return math.Log10(x) // nan, -inf, +inf
	}
	m, e := math.Frexp(x)
	if m < math.Sqrt2/2 {
		m, e = 2*m, e-1
	}
	lm := math.Log(m)
	fe := float64(e)
	// e*log10(2) and ln(m)/ln(10), each as a rounded part and its error.
	eh := fe * log10Of2Hi
	el := math.FMA(fe, log10Of2Hi, -eh) + fe*log10Of2Lo
	mh := lm * invLn10Hi
	ml := math.FMA(lm, invLn10Hi, -mh) + lm*invLn10Lo
	r := eh + mh
	b := r - eh
	r += (eh - (r - b)) + (mh - b) + el + ml // the rounding error of eh+mh added back
	if n := math.Round(r); n != r && n != 0 && math.Abs(n) <= 308 && nearPow10(x, int(n)) {
		// Within two units in the last place of 10^n (as 10^n computed by
		// pow may be), a correctly rounded log10 is n exactly.
		return n
	}
	return r
}

// nearPow10 reports whether x is within two units in the last place of
// 10^n.
func nearPow10(x float64, n int) bool {
	p := math.Pow10(n)
	lo := math.Nextafter(math.Nextafter(p, 0), 0)
	hi := math.Nextafter(math.Nextafter(p, math.Inf(1)), math.Inf(1))
	return x >= lo && x <= hi
}

// logOf is math.Log, right for subnormal numbers too (moonpin): Go's
// assembly Log on amd64 and s390x takes them as 2^-1022 times their
// fraction (golang/go#56600): math.log(1e-310) was -709.085, not -713.801.
// A subnormal is scaled into the normal range first.
func logOf(x float64) float64 {
	const smallestNormal = 0x1p-1022
	if x > 0 && x < smallestNormal {
		return math.Log(x*0x1p54) - 54*math.Ln2
	}
	return math.Log(x)
}

// powOf is x^y as C's pow (moonpin): Go's math.Pow takes a fractional
// power of x as Exp(y*Log(x)), and its amd64 Log is wrong for subnormal x
// (golang/go#56600, see logOf): 1e-310^0.1 was 1.6e-31, not 1e-31. Such an
// x is scaled into the normal range and the scale's power taken apart.
func powOf(x, y float64) float64 {
	const smallestNormal = 0x1p-1022
	if x > 0 && x < smallestNormal && y != math.Trunc(y) {
		return math.Pow(x*0x1p54, y) * math.Pow(2, -54*y)
	}
	return math.Pow(x, y)
}

func mathMax(L *LState) int {
	max := L.CheckNumber(1)
	top := L.GetTop()
	for i := 2; i <= top; i++ {
		v := L.CheckNumber(i)
		if v > max {
			max = v
		}
	}
	L.Push(max)
	return 1
}

func mathMin(L *LState) int {
	min := L.CheckNumber(1)
	top := L.GetTop()
	for i := 2; i <= top; i++ {
		v := L.CheckNumber(i)
		if v < min {
			min = v
		}
	}
	L.Push(min)
	return 1
}

// mathMod is 5.1's math.mod, an old name of math.fmod (moonpin: upstream
// gave it the % operator's result, whose sign follows the divisor's).
func mathMod(L *LState) int {
	return mathFmod(L)
}

func mathModf(L *LState) int {
	v1, v2 := math.Modf(float64(L.CheckNumber(1)))
	if math.IsInf(v1, 0) {
		v2 = math.Copysign(0, v1) // moonpin: C's modf, as Lua 5.1: inf, 0 (Go: inf, nan)
	}
	L.Push(LNumber(v1))
	L.Push(LNumber(v2))
	return 2
}

// mathPow checks its second argument first, as mathAtan2.
func mathPow(L *LState) int {
	y := L.CheckNumber(2)
	L.Push(LNumber(powOf(float64(L.CheckNumber(1)), float64(y))))
	return 1
}

func mathRad(L *LState) int {
	// moonpin: times pi/180, as 5.1's x*(PI/180); upstream's x*pi/180
	// overflowed to inf from 5.7e306.
	L.Push(LNumber(float64(L.CheckNumber(1)) * (math.Pi / 180)))
	return 1
}

// mathRandom is Lua 5.1's math.random, with its argument checks (moonpin:
// upstream let rand.Intn panic on an empty interval and took 3 arguments).
func mathRandom(L *LState) int {
	r := stateRand(L).Float64()
	switch L.GetTop() {
	case 0:
		L.Push(LNumber(r))
	case 1:
		u := L.CheckInt(1)
		if u < 1 {
			L.ArgError(1, "interval is empty")
		}
		L.Push(LNumber(math.Floor(r*float64(u)) + 1))
	case 2:
		l := L.CheckInt(1)
		u := L.CheckInt(2)
		if l > u {
			L.ArgError(2, "interval is empty")
		}
		L.Push(LNumber(math.Floor(r*float64(u-l+1)) + float64(l)))
	default:
		L.RaiseError("wrong number of arguments")
	}
	return 1
}

// mathRandomseed seeds the state's generator: the same seed gives the same
// numbers, as in Lua 5.1. moonpin: upstream called rand.Seed, which seeds
// the process's generator, shared by every state (a soft reset's new state
// went on with the old one's sequence), and does nothing at all since Go
// 1.24 unless GODEBUG=randseednop=0.
func mathRandomseed(L *LState) int {
	L.G.random = rand.New(rand.NewSource(L.CheckInt64(1)))
	return 0
}

// stateRand is the state's generator, until math.randomseed seeded from the
// process's (which Go seeds at random), as upstream's numbers were.
func stateRand(L *LState) *rand.Rand {
	if L.G.random == nil {
		L.G.random = rand.New(rand.NewSource(rand.Int63()))
	}
	return L.G.random
}

func mathSin(L *LState) int {
	L.Push(LNumber(math.Sin(float64(L.CheckNumber(1)))))
	return 1
}

func mathSinh(L *LState) int {
	L.Push(LNumber(math.Sinh(float64(L.CheckNumber(1)))))
	return 1
}

func mathSqrt(L *LState) int {
	L.Push(LNumber(math.Sqrt(float64(L.CheckNumber(1)))))
	return 1
}

func mathTan(L *LState) int {
	L.Push(LNumber(math.Tan(float64(L.CheckNumber(1)))))
	return 1
}

func mathTanh(L *LState) int {
	L.Push(LNumber(math.Tanh(float64(L.CheckNumber(1)))))
	return 1
}

//
