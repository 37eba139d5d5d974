#!/bin/sh
# Makes the board a USB CDC ACM serial gadget through configfs, so that
# /dev/ttyGS0 appears for moonpin. Needs dtoverlay=dwc2 in config.txt and
# the dwc2 and libcomposite modules. Run once per boot, as root (see
# moonpin-gadget.service and usb-gadget.md).
set -eu

g=/sys/kernel/config/usb_gadget/moonpin
if [ -d "$g" ]; then
  exit 0 # already made this boot
fi
modprobe libcomposite
mountpoint -q /sys/kernel/config || mount -t configfs none /sys/kernel/config

mkdir -p "$g"
echo 0x1d6b > "$g/idVendor"  # Linux Foundation
echo 0x0104 > "$g/idProduct" # Multifunction Composite Gadget
echo 0x0100 > "$g/bcdDevice"
echo 0x0200 > "$g/bcdUSB"
mkdir -p "$g/strings/0x409"
serial=$(awk '/^Serial/ { print $3 }' /proc/cpuinfo 2>/dev/null || true)
echo "${serial:-0000000000000000}" > "$g/strings/0x409/serialnumber"
echo "moonpin" > "$g/strings/0x409/manufacturer"
echo "moonpin REPL" > "$g/strings/0x409/product"

mkdir -p "$g/configs/c.1/strings/0x409"
echo "serial" > "$g/configs/c.1/strings/0x409/configuration"
echo 250 > "$g/configs/c.1/MaxPower"

mkdir -p "$g/functions/acm.usb0"
ln -s "$g/functions/acm.usb0" "$g/configs/c.1/"

# Bind to the first USB device controller (fe980000.usb on a Pi Zero/4).
ls /sys/class/udc | head -n 1 > "$g/UDC"
