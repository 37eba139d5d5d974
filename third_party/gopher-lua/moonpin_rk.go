package lua

// The VM loop's RK operands (moonpin): a constant of the function it runs,
// or a register of the frame, read through the function and frame the loop
// keeps in locals. LState's rkValue, rkString and rkBox load the frame and
// the function from the state first, a chain of loads ahead of each field
// access and each arithmetic on a constant: 7% of a loop of method calls.

func rkIn(fn *LFunction, cf *callFrame, reg *registry, idx int) LValue {
	if idx&opBitRk != 0 {
		return fn.Proto.Constants[idx&^opBitRk]
	}
	return reg.array[cf.LocalBase+idx]
}

func rkStringIn(fn *LFunction, cf *callFrame, reg *registry, idx int) string {
	if idx&opBitRk != 0 {
		return fn.Proto.stringConstants[idx&^opBitRk]
	}
	return string(reg.array[cf.LocalBase+idx].(LString))
}

func rkBoxIn(fn *LFunction, cf *callFrame, reg *registry, idx int) *string {
	if idx&opBitRk != 0 {
		return fn.Proto.stringBoxes[idx&^opBitRk]
	}
	return stringBox(reg.array[cf.LocalBase+idx])
}
