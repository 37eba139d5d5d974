// Package wire is the framing of moonpin's file channel, shared by the device
// side (repl) and the host side (repl/client). It knows nothing of Lua or of
// files: it reads and writes checksummed frames and encodes their fields.
//
// A frame on the wire is
//
//	0xA5 | type (1 byte) | length (uint32, little-endian) | payload | CRC-32C (uint32, little-endian)
//
// where the CRC covers the type, the length and the payload. The host enters
// the channel from the raw REPL with "\x05F\x01" (MicroPython's raw-paste
// request with command 'F'); the device answers "R\x01" and a Hello frame, and
// every request frame after that gets exactly one reply frame, except Get,
// which is answered by a header, data frames and an end frame. Quit returns
// to the raw REPL, whose ">" prompt follows the reply.
//
// A Mount request turns the channel around for as long as the connection
// lasts or until Unmount: the device asks the host for its files (MStat,
// MRead, MList, and with MountWritable MWrite and the like), each request
// an Escape byte and a frame among whatever else the device sends, each
// reply an Escape byte and a frame among whatever else the host sends (see
// Escape). After Unmount the host soft-resets the device (Quit, then Ctrl-D
// at the raw prompt), so that nothing loaded from its files stays; if that
// reset does not come first, the device does it itself at the next host's
// first request or connection.
//
// wire imports only the standard library.
package wire
