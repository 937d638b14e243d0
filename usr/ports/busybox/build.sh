# BusyBox: defconfig plus ./config, one static binary at /usr/bin/busybox and a symlink
# per applet beside it (the guest's PATH has /bin first, so the project's own tools win).
make -C "$SRC" O="$OBJ" defconfig >/dev/null
while IFS= read -r line; do
	case "$line" in
	'#'* | '') continue ;;
	esac
	sym=${line%%=*}
	sed -i -e "/^$sym=/d" -e "/^# $sym is not set/d" "$OBJ/.config"
	echo "$line" >>"$OBJ/.config"
done <"$RECIPE/config"
yes '' | make -C "$OBJ" oldconfig >/dev/null
make -C "$OBJ" -j"$JOBS" CC="$CC" EXTRA_CFLAGS="-idirafter $KINC"
mkdir -p "$DESTDIR/usr/bin"
cp "$OBJ/busybox" "$DESTDIR/usr/bin/busybox"
for applet in $("$OBJ/busybox" --list); do
	ln -s busybox "$DESTDIR/usr/bin/$applet"
done
# The configuration as built, for the test suite run (scripts/testsuite/ports.py).
cp "$OBJ/.config" "$DESTDIR/../busybox.config"
