#!/bin/sh
# scripts/mkdebian.sh OUT: the Debian root image (make debian-root, docs/debian-root.md).
# debootstrap --variant=minbase bookworm from deb.debian.org plus python3-minimal,
# Exo-OS's /sbin/exo-init (scripts/debian/exo-init) added, put into an ext4 image
# with mke2fs -t ext4 -d. The tree stays in build/debian/root (tests compare
# against it on the host); downloaded .debs stay in build/debian/cache.
# Cached: rebuilt only when the recipe (this script, exo-init) changes; the
# recipe's hash is kept in OUT.recipe.
set -eu
out=${1:-build/debian.img}
here=$(cd "$(dirname "$0")" && pwd)
dir=$(dirname "$out")/debian
SUITE=bookworm
# DEBIAN_MIRROR=URL: another Debian mirror (its hash is part of the recipe).
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
INCLUDE=python3-minimal
PATH=$PATH:/usr/sbin:/sbin

recipe=$( (cat "$0" "$here/debian/exo-init"; echo "$MIRROR") | sha256sum | cut -d' ' -f1)
if [ -f "$out" ] && [ -d "$dir/root" ] && [ "$(cat "$out.recipe" 2>/dev/null)" = "$recipe" ]; then
	echo "  DEBIAN  $out is up to date (recipe $(echo "$recipe" | cut -c1-12))"
	exit 0
fi

die() {
	echo "debian-root: $*" >&2
	exit 1
}
[ "$(id -u)" -eq 0 ] ||
	die "debootstrap needs root (it creates device nodes and chroots): run 'sudo make debian-root'"
command -v debootstrap >/dev/null ||
	die "debootstrap is missing: run scripts/setup (or apt-get install debootstrap)"
command -v mke2fs >/dev/null || die "mke2fs is missing: apt-get install e2fsprogs"

mkdir -p "$dir/cache"
rm -rf "$dir/root.new"
log=$dir/debootstrap.log
echo "  DEBIAN  debootstrap --variant=minbase --include=$INCLUDE $SUITE from $MIRROR"
echo "          (a few minutes; packages cached in $dir/cache, log in $log)"
# debootstrap's own I: lines are the progress; everything goes to the log too.
if ! debootstrap --variant=minbase --include="$INCLUDE" --cache-dir="$(cd "$dir/cache" && pwd)" \
	"$SUITE" "$dir/root.new" "$MIRROR" >"$log" 2>&1 </dev/null; then
	tail -n 5 "$log" >&2
	inner=$dir/root.new/debootstrap/debootstrap.log
	[ -f "$inner" ] || inner="(none)"
	die "debootstrap failed: see $log and $inner"
fi &
pid=$!
# Show the I: lines as they come, while debootstrap runs.
shown=0
while kill -0 $pid 2>/dev/null; do
	sleep 2
	n=$(wc -l <"$log" 2>/dev/null || echo 0)
	if [ "$n" -gt "$shown" ]; then
		sed -n "$((shown + 1)),${n}p" "$log" | grep '^[IEW]:' | sed 's/^/          /' || true
		shown=$n
	fi
done
wait $pid || exit 1
n=$(wc -l <"$log")
[ "$n" -gt "$shown" ] && { sed -n "$((shown + 1)),${n}p" "$log" | grep '^[IEW]:' | sed 's/^/          /' || true; }

install -m 0755 "$here/debian/exo-init" "$dir/root.new/sbin/exo-init"
# minbase has no init system: exo-init is /sbin/init, which the kernel runs
# when init= is not given (after /init, which Debian does not have).
[ -e "$dir/root.new/sbin/init" ] || ln -s exo-init "$dir/root.new/sbin/init"
# No downloaded packages in the image: they are in the cache.
rm -f "$dir/root.new"/var/cache/apt/archives/*.deb "$dir/root.new"/var/cache/apt/*.bin
rm -rf "$dir/root"
mv "$dir/root.new" "$dir/root"

# The tree plus a quarter and 64 MiB free.
kib=$(du -sk "$dir/root" | cut -f1)
size=$((kib + kib / 4 + 65536))
echo "  MKE2FS  $out ($((size / 1024)) MiB, ext4)"
rm -f "$out" "$out.recipe"
: >"$out"
mke2fs -q -F -t ext4 -L debian -d "$dir/root" "$out" "${size}k" ||
	die "mke2fs -d $dir/root failed"
echo "$recipe" >"$out.recipe"
echo "  DEBIAN  $out: $(ls "$dir/root/var/lib/dpkg/info/"*.list | wc -l) packages; boot it with"
echo "          make run DISK=$out ROOT=disk"
