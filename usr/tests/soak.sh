#!/bin/sh
# SMP soak (make soak; scripts/soak.py has /sbin/init run it): repeats exotest's stress groups (process storms,
# threads, futexes, pipes, signals, thread-group signals, sockets, TCP and
# UDP over loopback (the tcp group's 1 MiB echo is checked byte for byte; 50
# concurrent connections), the VFS races of vfsrace: renames, create/unlink,
# lookups; fusion rings), a round of random
# block I/O when scripts/soak.py attached a scratch disk (blkcheck rand on
# /dev/vda: 4 processes of random preads and pwrites, checked against a
# model of the disk) and a round of random system calls (exofuzz, a new
# seed each round) until
# MINUTES have passed, then checks that free memory came back to within 1%
# of what it was after the first round (which warms the caches). Prints "soak: ok" or "soak: FAILED ...".
#   /bin/sh /usr/share/exotest/soak.sh MINUTES
minutes=${1:-1}
groups="storm thread futex pipe signal sigthread socket tcp udp vfsrace fusion"

free_kb() {
	while read -r key value unit; do
		if [ "$key" = MemFree: ]; then
			echo "$value"
			return
		fi
	done < /proc/meminfo
}

# Each test's PASS line and exofuzz's progress go to the console: the driver
# takes three silent minutes for a hang, and the log shows where it stopped.
# A long soak hammers each fusion ring for a minute a round (2 s in a short one).
fusion_secs=2
[ "$minutes" -ge 10 ] && fusion_secs=60

run_round() {
	EXOTEST_STORM_ITERS=300 EXOTEST_FUSION_SECS=$fusion_secs /bin/exotest $groups || return 1
	if [ -b /dev/vda ]; then
		/usr/bin/blkcheck rand /dev/vda 4 400 "$round" || return 1
	fi
	/bin/exofuzz -s "$round" -n 20000 -w 4
}

start=$(date +%s)
end=$((start + minutes * 60))
round=1
run_round || { echo "soak: FAILED in round 1"; exit 1; }
baseline=$(free_kb)
echo "soak: round 1 done, MemFree ${baseline} kB"
while [ "$(date +%s)" -lt "$end" ]; do
	round=$((round + 1))
	run_round || { echo "soak: FAILED in round $round"; exit 1; }
	echo "soak: round $round done at $(($(date +%s) - start)) s, MemFree $(free_kb) kB"
done
sleep 1
final=$(free_kb)
lost=$((baseline - final))
echo "soak: $round rounds in $(($(date +%s) - start)) s; MemFree ${baseline} -> ${final} kB"
if [ $((lost * 100)) -gt "$baseline" ]; then
	echo "soak: FAILED: free memory fell by ${lost} kB, more than 1%"
	exit 1
fi
echo "soak: ok"
