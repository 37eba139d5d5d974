// Copyright 2022 The Periph Authors. All rights reserved.
// Use of this source code is governed under the Apache License, Version 2.0
// that can be found in the LICENSE file.

// Package orangepi contains Orange Pi hardware logic.
//
// Requires armbian jessie server.
//
// # Physical
//
// http://www.orangepi.org/html/hardWare/computerAndMicrocontrollers/index.html
package orangepi
