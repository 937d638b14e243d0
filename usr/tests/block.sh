#!/bin/sh
# The guest half of the block device tests (scripts/testsuite/block.py boots
# it through /init's test mode; the kernel command line cannot carry ';' or
# '|', so the steps are words):
#   /bin/sh /usr/share/exotest/block.sh STEP...
# with STEP one of
#   sha=DEV            sha256sum of the whole /dev/DEV
#   parts=DISK         each partition of DISK: its sysfs size (sectors),
#                      BLKGETSIZE64, BLKSSZGET and sha256
#   irq                /proc/interrupts
#   rand=DEV,N,OPS,SEED   blkcheck rand (random I/O from N processes)
#   eio=DEV,OFF,GOOD   blkcheck eio (an injected error is EIO)
#   bad=DEV            blkcheck badinput (bad pointers, ioctls, seeks, I/O at the end)
#   ro=DEV             blkcheck ro (BLKROSET/BLKROGET, EPERM writes, root only)
# Every step runs; the status is 1 if any failed. The host parses the lines.
status=0
for step in "$@"; do
	name=${step%%=*}
	args=${step#*=}
	IFS=,
	set -- $args
	unset IFS
	echo "block: step $step"
	case $name in
	sha)
		sha256sum "/dev/$1" || status=1
		;;
	parts)
		for p in /sys/block/$1/$1*; do
			[ -e "$p/size" ] || continue
			part=${p##*/}
			echo "part $part sectors $(cat "$p/size") start $(cat "$p/start")"
			/usr/bin/blkcheck size "/dev/$part" || status=1
			sha256sum "/dev/$part" || status=1
		done
		;;
	irq)
		cat /proc/interrupts || status=1
		;;
	rand)
		/usr/bin/blkcheck rand "/dev/$1" "$2" "$3" "$4" || status=1
		;;
	bad)
		/usr/bin/blkcheck badinput "/dev/$1" || status=1
		;;
	ro)
		/usr/bin/blkcheck ro "/dev/$1" || status=1
		;;
	eio)
		/usr/bin/blkcheck eio "/dev/$1" "$2" "$3" || status=1
		;;
	*)
		echo "block: unknown step $step"
		status=1
		;;
	esac
done
echo "block: done, status $status"
exit $status
