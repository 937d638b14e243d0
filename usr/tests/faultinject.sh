#!/bin/sh
# Fault injection over the exotest suite (scripts/testsuite/stress.py boots
# it through /init's test mode):
#   /bin/sh /usr/share/exotest/faultinject.sh PERCENT GROUP...
# Runs the groups once to warm the caches, records memory, runs them again
# with EXOTEST_FAULT=PERCENT (exotest turns failslab and fail_page_alloc on
# for the tests only; tests fail, that is expected), records again with
# injection off, and prints the counters. The driver checks the summary
# line, the memory and the counters.
#
# A record ("fi: before"/"fi: after") is taken after dropping the
# allocators' caches (/proc/sys/vm/drop_caches): the meminfo counters of
# each kind of page, then one "fi: slab" line per cache with its objects in
# use (/proc/slabinfo's active_objs, which per-CPU caches do not move).
percent=$1
shift

# What the tests left in /tmp (a failed clean-up under injection) is not a
# leak, nor are the test processes the harness lost track of (its kill of a
# test's process group can fail under injection), nor their mounts: they
# go first, and their memory must then come back.
mem() {
	for dir in /proc/[0-9]*; do
		read -r comm < "$dir/comm" 2> /dev/null || continue
		if [ "$comm" = exotest ]; then
			read -r stat < "$dir/stat"
			echo "fi: leftover $stat"
			kill -9 "${dir#/proc/}"
		fi
	done
	while read -r dev dir rest; do
		case $dir in
		/tmp/exotest.*) echo "fi: leftover mount $dir"; umount "$dir" ;;
		esac
	done < /proc/mounts
	rm -rf /tmp/exotest.* 2> /dev/null
	# The shell's last child may still be switching out on another CPU (the driver's slack).
	sleep 1
	echo 3 > /proc/sys/vm/drop_caches
	line="fi: $1"
	while read -r key value unit; do
		case $key in
		MemFree: | Slab: | Buffers: | Cached: | KernelStack: | PageTables: | VmallocUsed:)
			line="$line $key $value" ;;
		esac
	done < /proc/meminfo
	echo "$line"
	while read -r name active rest; do
		case $name in
		slabinfo | \#*) ;;
		*) echo "fi: slab $1 $name $active" ;;
		esac
	done < /proc/slabinfo
}

/bin/exotest "$@" > /dev/null
echo "fi: warm-up done"
mem before
EXOTEST_FAULT=$percent /bin/exotest "$@"
echo "fi: exotest status $?"
mem after
echo "fi: injected $(cat /proc/sys/debug/failslab/injected) $(cat /proc/sys/debug/fail_page_alloc/injected) bad_errno $(cat /proc/sys/debug/fault_bad_errno)"
