#!/bin/sh
# The guest half of the ext4 tests (scripts/testsuite/ext4.py boots it
# through /init's test mode; the kernel command line cannot carry ';' or
# '|', so the steps are words):
#   /bin/sh /usr/share/exotest/ext4.sh STEP...
# with STEP one of
#   walk=DEV,TYPE[,b]  mount -t TYPE -o ro /dev/DEV, print fswalk -x of it
#                    (fswalk -x -b with b: st_blocks too)
#                    between "ext4: walk DEV begin" and "ext4: walk DEV end"
#   sum=DEV,TYPE[,b] the same, printing only "ext4: sum DEV SHA256  -" of the listing;
#                    two sum steps run at once (the test boots -smp 2), the
#                    next step waits for them; their lines are printed once
#                    all have ended, so no mount's kernel message lands in
#                    the middle of one on the console
#   rw=DEV           mount /dev/DEV without -o ro: the mount is read-only
#                    anyway; /proc/mounts, df; fswalk -e (every kind of
#                    write is EROFS); umount
#   root             on a root=/dev/vda boot: the / line of /proc/mounts, a
#                    tmpfs on /tmp, a program run from the root file system
#   cache=DIR        on an ext4 root: fswalk -x DIR cold, warm (every name in
#                    the dcache), after drop_caches 3 (the root in use: cwd,
#                    this shell's program), then a missing name twice (a negative
#                    dentry) and a program run; prints "ext4: cache SUM SUM SUM"
#                    and "ext4: cache missing=1,1" (ls's status)
#   suite=sh|coreutils  the shell's or the core utilities' suite
#   fuzz=IMG,SCRATCH,LIST,N,SEED,STRICT   fswalk -F: N corrupted variants of IMG
#   dump=DEV,PATH,OFF,LEN   hexdump -C of LEN bytes at OFF of PATH on /dev/DEV
#   exec=DEV,PATH    mount /dev/DEV and run the static program PATH in it
#   bad=SKIP,...     for each disk but the SKIP ones: mount it, walk it
#                    (output thrown away), umount; prints one
#                    "ext4: bad DEV mount=0 walk=STATUS" or "mount=fail" line a disk
# Every step runs; the status is 1 if any failed. The host parses the lines.
status=0
running=""
sums=""		# devices whose sum step's line waits in /tmp/ext4-sum.DEV

# Waits for the oldest background sum step (all of them with "all"), then
# prints the lines of the finished ones if none is left running.
wait_sums() {
	while [ -n "$running" ]; do
		set -- $running
		wait "$1" || status=1
		shift
		running="$*"
		[ "$want" = all ] || break
	done
	[ -z "$running" ] || return 0
	for d in $sums; do
		cat "/tmp/ext4-sum.$d"
		rm -f "/tmp/ext4-sum.$d"
	done
	sums=""
}

for step in "$@"; do
	name=${step%%=*}
	args=${step#*=}
	IFS=,
	set -- $args
	unset IFS
	echo "ext4: step $step"
	if [ "$name" != sum ]; then
		want=all
		wait_sums
	fi
	case $name in
	walk)
		mkdir -p /mnt/$1
		if mount -t "$2" -o ro "/dev/$1" "/mnt/$1"; then
			echo "ext4: walk $1 begin"
			/usr/bin/fswalk -x ${3:+-b} "/mnt/$1" || status=1
			echo "ext4: walk $1 end"
			umount "/mnt/$1" || status=1
		else
			echo "ext4: mount $1 failed"
			status=1
		fi
		;;
	sum)
		dev=$1
		type=$2
		blocks=${3:+-b}
		set -- $running
		if [ $# -ge 2 ]; then
			want=one
			wait_sums
		fi
		mkdir -p /mnt/$dev /tmp
		(
			if mount -t "$type" -o ro "/dev/$dev" "/mnt/$dev"; then
				echo "ext4: sum $dev $(/usr/bin/fswalk -x $blocks "/mnt/$dev" | sha256sum)"
				umount "/mnt/$dev" || exit 1
			else
				echo "ext4: mount $dev failed"
				exit 1
			fi
		) > "/tmp/ext4-sum.$dev" &
		running="$running $!"
		sums="$sums $dev"
		;;
	rw)
		mkdir -p /mnt/$1
		mount -t ext4 "/dev/$1" "/mnt/$1" || status=1
		grep "^/dev/$1 " /proc/mounts
		df "/mnt/$1"
		/usr/bin/fswalk -e "/mnt/$1" || status=1
		umount "/mnt/$1" || status=1
		grep -c "^/dev/$1 " /proc/mounts
		;;
	cache)
		one=$(/usr/bin/fswalk -x "$1" | sha256sum)
		two=$(/usr/bin/fswalk -x "$1" | sha256sum)
		echo 3 > /proc/sys/vm/drop_caches || status=1
		three=$(/usr/bin/fswalk -x "$1" | sha256sum)
		echo "ext4: cache ${one%% *} ${two%% *} ${three%% *}"
		ls "$1/no-such-name" > /dev/null 2>&1
		m1=$?
		ls "$1/no-such-name" > /dev/null 2>&1
		echo "ext4: cache missing=$m1,$?"
		echo 2 > /proc/sys/vm/drop_caches || status=1
		/usr/bin/hello || status=1
		;;
	root)
		grep " / " /proc/mounts
		mount -t tmpfs tmpfs /tmp || status=1
		/usr/bin/hello || status=1
		;;
	suite)
		case $1 in
		sh) /bin/sh /usr/share/sh-tests/run || status=1 ;;
		coreutils) sh /usr/share/coreutils-tests/run.sh || status=1 ;;
		esac
		;;
	fuzz)
		mkdir -p "/mnt/fuzz-$1"
		/usr/bin/fswalk -F "/dev/$1" "/dev/$2" "/dev/$3" "/mnt/fuzz-$1" "$4" "$5" "$6" || status=1
		;;
	dump)
		mkdir -p /mnt/$1
		mount -t ext4 -o ro "/dev/$1" "/mnt/$1" || status=1
		hexdump -C -s "$3" -n "$4" "/mnt/$1/$2" || status=1
		umount "/mnt/$1" || status=1
		;;
	exec)
		mkdir -p /mnt/$1
		mount -t ext4 -o ro "/dev/$1" "/mnt/$1" || status=1
		"/mnt/$1/$2" || status=1
		umount "/mnt/$1" || status=1
		;;
	bad)
		for p in /sys/block/vd*; do
			dev=${p##*/}
			skip=0
			for s in "$@"; do
				[ "$s" = "$dev" ] && skip=1
			done
			[ $skip = 1 ] && continue
			mkdir -p /mnt/$dev
			if mount -t ext4 -o ro "/dev/$dev" "/mnt/$dev" 2>/dev/null; then
				/usr/bin/fswalk -x "/mnt/$dev" > /dev/null 2>&1
				echo "ext4: bad $dev mount=0 walk=$?"
				umount "/mnt/$dev" || status=1
			else
				echo "ext4: bad $dev mount=fail"
			fi
		done
		;;
	*)
		echo "ext4: unknown step $step"
		status=1
		;;
	esac
done
want=all
wait_sums
echo "ext4: done, status $status"
exit $status
