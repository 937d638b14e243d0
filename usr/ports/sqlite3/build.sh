# SQLite 3: the sqlite3 shell, one static binary. configure and make in OBJ; the source is
# the full tree, so make generates the amalgamation (sqlite3.c) first, which needs tclsh
# (scripts/setup installs tcl). No readline, no Tcl binding, no shared library; JSON is
# built in since 3.38.
cd "$OBJ"
"$SRC/configure" CC="$CC" CFLAGS="-O2" LDFLAGS="-static" --disable-shared --enable-static \
	--disable-readline --disable-editline --disable-tcl --disable-load-extension \
	--enable-threadsafe --enable-fts5 --enable-math >configure.log
# libtool drops a plain -static from the link: -all-static is its word for it.
make -j"$JOBS" LTLINK_EXTRAS=-all-static sqlite3
mkdir -p "$DESTDIR/usr/bin"
cp sqlite3 "$DESTDIR/usr/bin/sqlite3"
