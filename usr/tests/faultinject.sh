#!/bin/sh
# Fault injection over the exotest suite (scripts/testsuite/stress.py boots
# it through /init's test mode):
#   /bin/sh /usr/share/exotest/faultinject.sh PERCENT GROUP...
# Runs the groups once to warm the caches, records MemFree and Slab, runs
# them again with EXOTEST_FAULT=PERCENT (exotest turns failslab and
# fail_page_alloc on for the tests only; tests fail, that is expected),
# records again with injection off, and prints the counters. The driver
# checks the summary line, the memory and the counters.
percent=$1
shift

# What the tests left in /tmp (a failed clean-up under injection) is not a leak.
mem() {
	rm -rf /tmp/exotest.* 2> /dev/null
	while read -r key value unit; do
		case $key in
		MemFree: | Slab:) printf ' %s %s' "$key" "$value" ;;
		esac
	done < /proc/meminfo
	echo
}

/bin/exotest "$@" > /dev/null
echo "fi: warm-up done"
echo "fi: before$(mem)"
EXOTEST_FAULT=$percent /bin/exotest "$@"
echo "fi: after$(mem)"
echo "fi: injected $(cat /proc/sys/debug/failslab/injected) $(cat /proc/sys/debug/fail_page_alloc/injected) bad_errno $(cat /proc/sys/debug/fault_bad_errno)"
