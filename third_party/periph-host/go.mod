// Copyright 2020 The Periph Authors. All rights reserved.
// Use of this source code is governed under the Apache License, Version 2.0
// that can be found in the LICENSE file.

module periph.io/x/host/v3

go 1.22.6

require (
	periph.io/x/conn/v3 v3.7.2
	periph.io/x/d2xx v0.1.1
)
