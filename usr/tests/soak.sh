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
# With PEER (scripts/soak.py attached a tap NIC in a namespace of its own), a
# network round too: BusyBox httpd serves a 1 MiB file the peer fetches in a
# loop all along, and every round the guest fetches one from the peer's server
# and checks its sha256.
#   /bin/sh /usr/share/exotest/soak.sh MINUTES [PEER]
minutes=${1:-1}
peer=${2:-}
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

first_field() {
	set -- $1
	echo "$1"
}

# The guest's side of the peer's loop: a file to serve, and its sha256 beside it.
serve_peer() {
	mkdir -p /tmp/www || return 1
	busybox dd if=/dev/urandom of=/tmp/www/blob bs=65536 count=16 2>/dev/null || return 1
	busybox sha256sum /tmp/www/blob >/tmp/www/blob.sha256 || return 1
	busybox httpd -p 80 -h /tmp/www || return 1
	echo "soak: serving /tmp/www/blob to the peer $peer"
}

net_round() {
	rm -f /tmp/peer.blob
	busybox wget -q -O /tmp/peer.blob "http://$peer:8000/blob" || { echo "netpeer: wget failed"; return 1; }
	want=$(first_field "$(busybox wget -q -O - "http://$peer:8000/blob.sha256")")
	got=$(first_field "$(busybox sha256sum /tmp/peer.blob)")
	if [ -z "$want" ] || [ "$got" != "$want" ]; then
		echo "netpeer: the peer's blob has sha256 $got, the peer says $want"
		return 1
	fi
	echo "netpeer: round $round: 1 MiB from the peer intact"
}

run_round() {
	EXOTEST_STORM_ITERS=300 EXOTEST_FUSION_SECS=$fusion_secs /bin/exotest $groups || return 1
	if [ -b /dev/vda ]; then
		/usr/bin/blkcheck rand /dev/vda 4 400 "$round" || return 1
	fi
	if [ -n "$peer" ]; then
		net_round || return 1
	fi
	/bin/exofuzz -s "$round" -n 20000 -w 4
}

if [ -n "$peer" ]; then
	serve_peer || { echo "soak: FAILED: cannot serve the peer"; exit 1; }
fi
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
if [ -n "$peer" ]; then
	# scripts/soak.py stops the peer's loop on this line; let its last transfer end.
	echo "soak: rounds done"
	sleep 5
fi
sleep 1
final=$(free_kb)
lost=$((baseline - final))
echo "soak: $round rounds in $(($(date +%s) - start)) s; MemFree ${baseline} -> ${final} kB"
if [ $((lost * 100)) -gt "$baseline" ]; then
	echo "soak: FAILED: free memory fell by ${lost} kB, more than 1%"
	exit 1
fi
echo "soak: ok"
