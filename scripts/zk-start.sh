#!/usr/bin/env bash
# Starts a local standalone ZooKeeper for trying zkc (make zk-start) and says
# "started" only once the server it started answers ruok. Otherwise it says
# why not, exit 1: the port is taken by something else, java is missing,
# java died (the last lines of its log), or no answer in time.
#
# Environment (the Makefile sets them): ZK_DIR (data, zoo.cfg, server.log,
# server.pid), ZK_PORT (default 2181), JAVA_CP, JAVA (default java),
# ZK_START_WAIT (seconds to wait for the answer, default 30).
set -u
ZK_DIR=${ZK_DIR:?ZK_DIR is not set}
ZK_PORT=${ZK_PORT:-2181}
JAVA=${JAVA:-java}
JAVA_CP=${JAVA_CP:-/etc/zookeeper/conf:/usr/share/java/zookeeper.jar:/usr/share/java/*}
ZK_START_WAIT=${ZK_START_WAIT:-30}
ADDR=127.0.0.1:$ZK_PORT
LOG=$ZK_DIR/server.log
PIDFILE=$ZK_DIR/server.pid

# ruok prints the server's answer to ruok ("imok"), nothing if none.
ruok() {
	( exec 3<>"/dev/tcp/127.0.0.1/$ZK_PORT" && printf ruok >&3 && timeout 2 cat <&3 ) 2>/dev/null
}
# listening: does anything accept connections on the port?
listening() {
	( exec 3<>"/dev/tcp/127.0.0.1/$ZK_PORT" ) 2>/dev/null
}
# owner names the process listening on the port, when ss can tell.
owner() {
	command -v ss >/dev/null || return 0
	ss -Hltnp "sport = :$ZK_PORT" 2>/dev/null | grep -o 'users:(("[^"]*",pid=[0-9]*' | head -1 |
		sed -E 's/users:\(\("([^"]*)",pid=([0-9]+)/\1 (pid \2)/'
}
log_tail() {
	if [ -s "$LOG" ]; then
		echo "last lines of $LOG:" >&2
		tail -n 15 "$LOG" | sed 's/^/  /' >&2
	fi
}
fail() {
	echo "zk-start: $*" >&2
	exit 1
}

if [ "$(ruok)" = imok ]; then
	echo "ZooKeeper already answers on $ADDR"
	exit 0
fi
if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null &&
	ps -p "$(cat "$PIDFILE")" -o args= 2>/dev/null | grep -q ZooKeeperServerMain; then
	fail "the ZooKeeper started earlier (pid $(cat "$PIDFILE")) is running but does not answer ruok on $ADDR; 'make zk-stop' stops it"
fi
if listening; then
	who=$(owner)
	fail "port $ZK_PORT on 127.0.0.1 is taken${who:+ by $who}, and what listens there does not answer ruok as a ZooKeeper with 4lw commands enabled: stop it, or use another port (make zk-start ZK_PORT=2182)"
fi
command -v "$JAVA" >/dev/null || fail "$JAVA not found: install a JRE (make deps installs Debian's zookeeper with Java 17)"

mkdir -p "$ZK_DIR/data" || fail "cannot create $ZK_DIR/data"
printf '%s\n' tickTime=2000 "dataDir=$ZK_DIR/data" "clientPort=$ZK_PORT" clientPortAddress=127.0.0.1 \
	'4lw.commands.whitelist=*' admin.enableServer=false extendedTypesEnabled=true > "$ZK_DIR/zoo.cfg"
nohup "$JAVA" -Xmx256m -XX:+UseSerialGC -cp "$JAVA_CP" org.apache.zookeeper.server.ZooKeeperServerMain \
	"$ZK_DIR/zoo.cfg" > "$LOG" 2>&1 < /dev/null &
pid=$!
echo "$pid" > "$PIDFILE"

deadline=$((SECONDS + ZK_START_WAIT))
while [ "$SECONDS" -lt "$deadline" ]; do
	if [ "$(ruok)" = imok ]; then
		echo "ZooKeeper started on $ADDR (pid $pid, data in $ZK_DIR; 'make zk-stop' stops it)"
		exit 0
	fi
	if ! kill -0 "$pid" 2>/dev/null; then
		wait "$pid"
		code=$?
		rm -f "$PIDFILE"
		if grep -q 'Address already in use' "$LOG" 2>/dev/null; then
			echo "zk-start: port $ZK_PORT on 127.0.0.1 was taken while ZooKeeper started (java exited with code $code)" >&2
		else
			echo "zk-start: java exited with code $code before ZooKeeper answered on $ADDR" >&2
		fi
		log_tail
		exit 1
	fi
	sleep 0.2
done
echo "zk-start: ZooKeeper (pid $pid) did not answer ruok on $ADDR within ${ZK_START_WAIT}s; it is still running ('make zk-stop' stops it)" >&2
log_tail
exit 1
