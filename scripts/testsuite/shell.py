"""A scripted session with the shell at the default boot, typed like a user."""
import re
import time

from testsuite.common import TestFailure, test, check, qemu


class ShellSession:
    """The default boot (no init=, no debug_exit): /init starts -sh on the console, and the test
    types at it like a user. Every wait is bounded; a failure shows the end of the transcript."""

    # The line editor starts each prompt with a carriage return.
    PROMPT = "\r# "

    def __init__(self, name):
        import pexpect
        self.pexpect = pexpect
        self.name = name
        self.s = None
        self.prompt_seconds = None

    def __enter__(self):
        start = time.monotonic()
        self.s = qemu.spawn_interactive(self.name, "")
        self.wait_for("# ", "the first prompt", timeout=90)
        self.prompt_seconds = time.monotonic() - start
        return self

    def wait_for(self, text, what, timeout=20):
        """Waits for the exact @text; returns what came before it, with \r\n made \n."""
        try:
            self.s.expect_exact(text, timeout=timeout)
        except (self.pexpect.TIMEOUT, self.pexpect.EOF) as e:
            why = "timed out" if isinstance(e, self.pexpect.TIMEOUT) else "QEMU ended"
            raise TestFailure(f"no {text!r} ({what}, {why}); the guest sent "
                              f"{self.s.before[-600:]!r}")
        return self.s.before.replace("\r\n", "\n")

    def type_line(self, line, timeout=20):
        """Types @line and Enter; returns once the shell has echoed the whole line."""
        self.s.sendline(line)
        # The line editor echoes each key; the whole line followed by the newline shows
        # that the shell has read all of it.
        self.wait_for(line + "\r\n", f"the echo of {line!r}", timeout)

    def run(self, line, timeout=30):
        """Runs @line at the prompt; returns its output (\n line ends)."""
        self.type_line(line)
        return self.wait_for(self.PROMPT, f"the prompt after {line!r}", timeout)

    def expect_output(self, line, expected, timeout=30):
        out = self.run(line, timeout)
        check(out == expected, f"{line!r} printed {out!r}, expected {expected!r}")

    def send(self, data):
        self.s.send(data)

    def __exit__(self, exc_type, exc, tb):
        self.s.close()
        return False


@test
def session_shell():
    """Boot to the login shell and use it like a user: a five-program pipeline, redirection,
    a here-document, a for loop, ^C, background jobs with jobs/fg/^Z/kill, ps, /proc/meminfo,
    uname -a, ls -l /, then poweroff ends QEMU through ACPI with status 0."""
    with ShellSession("session_shell") as sh:
        print(f"    boot to the first prompt: {sh.prompt_seconds:.2f}s (QEMU start to '# ')",
              flush=True)
        sh.expect_output(r"printf 'c\na\nb\na\n' | sort | uniq | tr a-z A-Z | wc -l", "3\n")
        sh.expect_output(r"printf 'c\na\nb\na\n' | sort | uniq | tr a-z A-Z | head -n 2",
                         "A\nB\n")
        sh.expect_output("echo hi > /tmp/f; cat < /tmp/f", "hi\n")
        sh.expect_output("echo there >> /tmp/f; wc -l < /tmp/f", "2\n")
        # A here-document typed at the prompt: the shell asks for each body line with PS2.
        sh.type_line("x=4; cat <<EOF")
        for body in ("one $x", "two $((x * 2))", "EOF"):
            sh.wait_for("> ", "the here-document prompt")
            sh.type_line(body)
        out = sh.wait_for(sh.PROMPT, "the prompt after the here-document")
        check(out == "one 4\ntwo 8\n", f"here-document printed {out!r}")
        sh.expect_output("for i in 1 2 3; do echo n$i; done", "n1\nn2\nn3\n")

        # ^C interrupts the foreground job; the prompt returns and $? is 128 + SIGINT.
        sh.type_line("sleep 100")
        time.sleep(1)
        sh.send("\x03")
        out = sh.wait_for(sh.PROMPT, "the prompt after ^C")
        check("^C" in out, f"^C not echoed: {out!r}")
        sh.expect_output("echo $?", "130\n")

        # A background job, jobs, fg, ^Z, ps while it is stopped, then kill it.
        out = sh.run("sleep 100 &")
        m = re.fullmatch(r"\[1\] (\d+)\n", out)
        check(m, f"'sleep 100 &' printed {out!r}, expected '[1] PID'")
        pid = m.group(1)
        out = sh.run("jobs")
        check(re.fullmatch(r"\[1\]\+ +Running +sleep 100\n", out), f"jobs printed {out!r}")
        sh.type_line("fg")
        sh.wait_for("sleep 100\r\n", "fg naming the job")
        time.sleep(1)
        sh.send("\x1a")
        out = sh.wait_for(sh.PROMPT, "the prompt after ^Z")
        check("^Z" in out and re.search(r"\[1\]\+ +Stopped +sleep 100", out),
              f"^Z did not report the stopped job: {out!r}")
        out = sh.run("ps")
        rows = out.splitlines()
        check(rows and rows[0].split() == ["PID", "TTY", "TIME", "CMD"], f"ps header: {out!r}")
        cmds = {r.split()[0]: r.split()[-1] for r in rows[1:]}
        check(cmds.get(pid) == "sleep", f"ps does not show sleep as {pid}: {out!r}")
        for name in ("sh", "ps"):
            check(name in cmds.values(), f"ps does not show {name}: {out!r}")
        # The console is ttyS0's tty, as on Linux: the login shell's terminal is not "?".
        ttys = {r.split()[-1]: r.split()[1] for r in rows[1:]}
        check(ttys.get("sh") == "ttyS0", f"ps shows the login shell's TTY as {ttys.get('sh')!r}: {out!r}")
        out = sh.run(f"grep State /proc/{pid}/status")
        check(out.startswith("State:\tT (stopped)"), f"the stopped sleep: {out!r}")
        # The shell reports the end of the job once, at a prompt or in jobs.
        out = sh.run("kill -KILL %1; sleep 1") + sh.run("jobs") + sh.run("jobs")
        check(re.fullmatch(r"\[1\]\+ +Killed +sleep 100\n", out),
              f"kill -KILL %1 then jobs printed {out!r}, expected one 'Killed' report")
        out = sh.run(f"ls /proc/{pid}")
        check("No such file or directory" in out, f"the killed sleep is still there: {out!r}")

        out = sh.run("cat /proc/meminfo")
        m = re.search(r"^MemTotal: +(\d+) kB$", out, re.MULTILINE)
        check(m and 200 * 1024 <= int(m.group(1)) <= 256 * 1024, f"/proc/meminfo: {out[:300]!r}")
        check(re.search(r"^MemFree: +\d+ kB$", out, re.MULTILINE), "no MemFree line")
        out = sh.run("uname -a")
        check(re.fullmatch(r"Linux \S+ \S+ .* x86_64 .*\n", out), f"uname -a printed {out!r}")
        out = sh.run("ls -l /")
        for d in ("bin", "dev", "proc", "tmp"):
            check(re.search(rf"^d[rwxsStT-]{{9}} +\d+ +\S+ +\S+ .* {d}$", out, re.MULTILINE),
                  f"ls -l / has no directory {d}: {out!r}")
        check(re.search(r"^l[rwx-]{9} .* init -> sbin/init$", out, re.MULTILINE),
              f"ls -l / does not show the /init link: {out!r}")
        # Names from /etc/passwd and /etc/group, as on Linux (they were numbers).
        check(re.search(r"^d\S+ +\d+ root +root .* bin$", out, re.MULTILINE),
              f"ls -l / shows no 'root root' owner for bin: {out!r}")
        # init mounts only what the kernel has not: each boot mount is listed once.
        points = [line.split()[1] for line in sh.run("cat /proc/mounts").splitlines()]
        for point in ("/", "/dev", "/proc", "/sys"):
            check(points.count(point) == 1, f"/proc/mounts lists {point} {points.count(point)} times")
        # A key typed at the end of the line costs one byte of echo, not a redraw of the
        # line: typing was quadratic in bytes on the serial line.
        line = "echo " + "x" * 300
        sh.s.sendline(line)
        sh.wait_for("\r\n", "the end of the long line's echo")
        echoed = sh.s.before
        check(line in echoed and len(echoed) < len(line) + 16,
              f"typing {len(line)} characters echoed {len(echoed)} bytes: {echoed[:120]!r}")
        out = sh.wait_for(sh.PROMPT, "the prompt after the long echo")
        check(out == "x" * 300 + "\n", f"the long echo printed {out[:80]!r}")
        # Editing at the start of a recalled line: ^P, ^A, Delete x5 ("echo "), type.
        sh.send("\x10\x01" + "\x1b[3~" * 5 + "printf '%s\\n' \r")
        out = sh.wait_for(sh.PROMPT, "the prompt after the edited history line")
        check(out.endswith("x" * 300 + "\n"), f"the edited line printed {out[-80:]!r}")

        sh.type_line("poweroff")
        status = sh.s.wait_exit(timeout=60)
        check(status == 0, f"QEMU exit status {status} after poweroff, expected 0 (ACPI S5)")
        check("reboot: power down" in sh.s.before, "no 'reboot: power down' from the kernel")
