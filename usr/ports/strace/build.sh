# strace: one static binary. Upstream's autoconf build, out of tree in $OBJ. musl-gcc sees
# only musl's headers: the kernel's uapi headers come after them (-idirafter $KINC, in CC
# since the build also runs the preprocessor alone).
# No multiple personalities (mpers builds a 32-bit variant: musl-gcc has no -m32), no
# stack tracing (-k needs libunwind or libdw), no SELinux context printing.
# linux-libc-dev's rdma/ headers (smc_diag.h includes one) are not among KINC's folders.
cd "$OBJ"
mkdir -p inc
ln -sf /usr/include/rdma inc/rdma
"$SRC/configure" --host=x86_64-linux-musl --build=x86_64-linux-gnu \
	CC="$CC -idirafter $KINC -idirafter $OBJ/inc" CFLAGS="-O2" LDFLAGS="-static" \
	--enable-mpers=no --without-libunwind --without-libdw --without-libiberty \
	--disable-gcc-Werror --without-libselinux --disable-dependency-tracking >configure.log 2>&1 ||
	{ tail -30 configure.log; exit 1; }
make -j"$JOBS" -C src
mkdir -p "$DESTDIR/usr/bin"
cp src/strace "$DESTDIR/usr/bin/strace"
strip "$DESTDIR/usr/bin/strace"
