#!/bin/sh
# Build a GRUB2 BIOS ISO: mkiso.sh OUT.iso KERNEL.elf INITRAMFS.cpio "EXTRA CMDLINE"
# The kernel command line is fixed in grub.cfg, so tests with other switches
# build their own ISO (scripts/qemu.py does that under build/test-isos/).
set -eu
out=$1 kernel=$2 initramfs=$3 cmdline=${4:-}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/exo-iso.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/boot/grub"
cp "$kernel" "$tmp/boot/exo.elf"
cp "$initramfs" "$tmp/boot/initramfs.cpio"
# GRUB's script parser would take ; | & < > as its own operators and expand $
# as its own variables: a backslash makes each one a literal character, which
# GRUB drops before the kernel sees it.
cmdline=$(printf '%s' "$cmdline" | sed 's/[;|&<>$]/\\&/g')
cat > "$tmp/boot/grub/grub.cfg" <<CFG
set timeout=0
set default=0
menuentry "Exo-OS" {
	multiboot2 /boot/exo.elf console=ttyS0 $cmdline
	module2 /boot/initramfs.cpio initramfs
	boot
}
CFG
if ! command -v grub-mkrescue >/dev/null 2>&1; then
	echo "mkiso: grub-mkrescue not found; run scripts/setup (packages grub-common grub-pc-bin xorriso mtools)" >&2
	exit 1
fi
mkdir -p "$(dirname "$out")"
if ! grub-mkrescue -o "$out.tmp" "$tmp" >"$tmp.log" 2>&1; then
	cat "$tmp.log" >&2
	rm -f "$tmp.log"
	echo "mkiso: grub-mkrescue failed (output above)" >&2
	exit 1
fi
rm -f "$tmp.log"
mv "$out.tmp" "$out"
echo "  ISO     $out"
