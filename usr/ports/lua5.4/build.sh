# Lua 5.4: the interpreter and the compiler, each one static binary. Debian's build system
# patch makes a libtool shared library; a static musl program needs none of it, so the
# sources are compiled here directly with upstream's POSIX configuration (LUA_USE_POSIX:
# mkstemp, popen, ...; no dlopen, which a static binary cannot use).
# Debian's luaconf.h names its module folders by the multiarch triplet (debian/rules
# writes this header).
echo '#define DEB_HOST_MULTIARCH "x86_64-linux-gnu"' >"$OBJ/lua5.4-deb-multiarch.h"
CFLAGS="-std=gnu99 -O2 -Wall -DLUA_COMPAT_5_3 -DLUA_USE_POSIX -I$OBJ"
objs=
for c in src/*.c; do
	case "$c" in
	src/lua.c | src/luac.c) continue ;;
	esac
	o="$OBJ/$(basename "$c" .c).o"
	echo "  CC      $c"
	$CC $CFLAGS -c "$c" -o "$o"
	objs="$objs $o"
done
mkdir -p "$DESTDIR/usr/bin"
$CC $CFLAGS -static -o "$DESTDIR/usr/bin/lua5.4" src/lua.c $objs -lm
$CC $CFLAGS -static -o "$DESTDIR/usr/bin/luac5.4" src/luac.c $objs -lm
ln -s lua5.4 "$DESTDIR/usr/bin/lua"
ln -s luac5.4 "$DESTDIR/usr/bin/luac"
