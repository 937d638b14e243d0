"""The tty layer typed at through the serial port (usr/examples/ttytest.c as init)."""

from testsuite.common import TestFailure, test, check, qemu


class TtySession:
    """/usr/bin/ttytest as init, typed at through the serial port (usr/examples/ttytest.c)."""

    def __init__(self, name):
        self.name = name
        self.s = None

    def __enter__(self):
        import pexpect
        self.pexpect = pexpect
        self.s = qemu.spawn_interactive(self.name, "debug_exit init=/usr/bin/ttytest")
        self.wait_for("cmd> ", "the first prompt", timeout=60)
        return self

    def wait_for(self, text, what, timeout=10):
        """Waits for the exact @text; returns what the guest sent before it."""
        try:
            self.s.expect_exact(text, timeout=timeout)
        except (self.pexpect.TIMEOUT, self.pexpect.EOF):
            raise TestFailure(f"no {text!r} ({what}); the guest sent {self.s.before[-300:]!r}")
        return self.s.before

    def wait_re(self, pattern, what, timeout=10):
        """Waits for the regex @pattern; returns the match."""
        try:
            self.s.expect(pattern, timeout=timeout)
        except (self.pexpect.TIMEOUT, self.pexpect.EOF):
            raise TestFailure(f"no match for {pattern!r} ({what}); "
                              f"the guest sent {self.s.before[-300:]!r}")
        return self.s.match

    def command(self, cmd, ready=None):
        """Runs a ttytest command at the prompt; waits for @ready when given."""
        self.s.sendline(cmd)
        if ready:
            self.wait_for(ready, f"{cmd} starting")

    def prompt(self):
        self.wait_for("cmd> ", "the prompt after a command")

    def send(self, data):
        self.s.send(data)

    def __exit__(self, exc_type, exc, tb):
        try:
            if exc_type is None:
                self.s.sendline("exit")
                status = self.s.wait_exit()
                check(status == qemu.EXIT_SUCCESS, f"QEMU exit status {status} after exit")
        finally:
            self.s.close()
        return False


def tty_line(t, typed, expect_got, cmd="line"):
    """Types @typed at ttytest's canonical read (@cmd: line, lineh); checks what read() returned;
    returns the echo."""
    t.command(cmd, "line: ready")
    t.send(typed)
    echo = t.wait_for(f"got {expect_got}\r\n", f"read() of {typed!r}")
    t.prompt()
    return echo


@test
def tty_canonical_editing():
    """Canonical mode: ERASE, WERASE, KILL, LNEXT with their echoes, ^D at and after line start,
    ECHOCTL, and ^H erasing only when it is VERASE."""
    cases = [  # command, typed, what read() returns, what the echo must contain ("" for no check)
        ("line", "abc\x7fd\r", "4 [abd\\n]", "abc\b \bd\r\n"),                     # ERASE
        ("line", "one two\x17three\r", "10 [one three\\n]", "two\b \b\b \b\b \bthree"),  # WERASE
        ("line", "xyz\x15kl\r", "3 [kl\\n]", "xyz\b \b\b \b\b \bkl"),                # KILL
        ("line", "\x04", "0 []", ""),                                               # ^D alone: EOF
        ("line", "ab\x04", "2 [ab]", ""),                                           # ^D after text
        ("line", "p\x01q\r", "4 [p\\x01q\\n]", "p^Aq"),                            # ECHOCTL
        ("line", "p\x01\x7fq\r", "3 [pq\\n]", "p^A\b \b\b \bq"),                     # erase "^A"
        ("line", "a\x16\x7fb\r", "4 [a\\x7fb\\n]", "a^\b^?b"),                       # LNEXT
        # ^H is data by default (VERASE is ^?), and erases once VERASE is ^H.
        ("line", "ab\x08c\r", "5 [ab\\x08c\\n]", ""),
        ("lineh", "ab\x08c\r", "3 [ac\\n]", ""),
    ]
    with TtySession("tty_canonical_editing") as t:
        for cmd, typed, got, shown in cases:
            echo = tty_line(t, typed, got, cmd)
            check(shown in echo, f"echo of {typed!r}: {echo!r}, expected {shown!r} in it")


@test
def tty_echo_and_output():
    """ECHO off hides typing; OPOST|ONLCR turns \\n into \\r\\n and OPOST off sends it raw."""
    with TtySession("tty_echo_and_output") as t:
        t.command("noecho", "line: ready\r\n")
        t.send("secret\r")
        before = t.wait_for("got 7 [secret\\n]", "the hidden line")
        check("secret" not in before, f"typed text was echoed: {before!r}")
        t.prompt()
        t.command("output")
        t.wait_for("out1:a\r\nb\r\nout2:c\nd\n\r\noutput: done", "output post-processing")
        t.prompt()


@test
def tty_raw_mode():
    """Non-canonical: byte-at-a-time reads (VMIN 1) with and without echo; VMIN 0 VTIME 3 times out."""
    with TtySession("tty_raw_mode") as t:
        t.command("raw", "raw: ready\r\n")
        for typed, seen in (("a", "a"), ("\r", "\\x0d"), ("\x03", "\\x03"), ("\x7f", "\\x7f")):
            t.send(typed)
            before = t.wait_for(f"raw 1 [{seen}]\r\n", f"raw read of {typed!r}")
            check(before == "", f"echo in raw mode without ECHO: {before!r}")
        t.send("q")
        t.prompt()
        t.command("rawecho", "raw: ready\r\n")
        t.send("x")
        before = t.wait_for("raw 1 [x]", "raw read with ECHO")
        check(before == "x", f"echo with ECHO on: {before!r}")
        t.send("\r")
        t.wait_for("\r\nraw 1 [\\n]", "ICRNL and the echoed newline")
        t.send("q")
        t.prompt()
        t.command("vtime")
        m = t.wait_re(r"vtime n=(-?\d+) ms=(\d+)\r?\n", "the timed read")
        check(m.group(1) == "0", f"VTIME read returned {m.group(1)}, not 0")
        check(250 <= int(m.group(2)) <= 2000, f"VTIME 3 took {m.group(2)} ms")
        t.prompt()


@test
def tty_bulk_input_not_lost():
    """12000 bytes typed at a reader that sleeps first (more than N_TTY and the flip ring hold):
    every byte arrives, in order of sum and count, through throttling and the UART's hold-off."""
    import random
    rnd = random.Random(1)
    data = "".join(chr(rnd.randrange(0x20, 0x7f)) for _ in range(12000))
    with TtySession("tty_bulk_input_not_lost") as t:
        t.command(f"bulk {len(data)}", "bulk: ready")
        t.send(data)
        m = t.wait_re(r"bulk n=(\d+) sum=(\d+)\r?\n", "the bulk read", timeout=30)
        got = (int(m.group(1)), int(m.group(2)))
        check(got == (len(data), sum(map(ord, data))), f"read {got}, sent {(len(data), sum(map(ord, data)))}")
        t.prompt()


@test
def tty_ioctls():
    """Default termios, TIOCSWINSZ/TIOCGWINSZ, isatty, FIONREAD on typed input, TCFLSH."""
    with TtySession("tty_ioctls") as t:
        t.command("ioctls")
        t.wait_for("termios lflag_canon=1 echo=1 isig=1 icrnl=1 onlcr=1 intr=3 erase=127 vmin=1",
                   "Linux's default termios")
        t.wait_for("winsize 33x111", "the window size set")
        t.wait_for("isatty=1", "isatty")
        t.wait_for("fionread: ready", "the FIONREAD step")
        t.send("xyz")
        t.wait_for("fionread 3", "FIONREAD counting typed bytes")
        t.wait_for("after flush 0", "TCFLSH emptying the input")
        t.prompt()


@test
def tty_signals():
    """^C, ^\\ and ^Z signal the foreground process group, echoed as ^C, ^\\, ^Z."""
    with TtySession("tty_signals") as t:
        for cmd, key, shown, sig in (("sigint", "\x03", "^C", 2), ("sigquit", "\x1c", "^\\", 3),
                                     ("sigtstp", "\x1a", "^Z", 20)):
            t.command(cmd, "fg: ready")
            t.send(key)
            m = t.wait_re(rf"{cmd}: child (signaled|stopped) (\d+)\r?\n", f"the child after {shown}")
            check(int(m.group(2)) == sig, f"{cmd}: child {m.group(1)} by {m.group(2)}, not {sig}")
            check(shown in t.s.before, f"{shown} not echoed: {t.s.before!r}")
            t.prompt()


@test
def tty_job_control():
    """Background read -> SIGTTIN, background write under TOSTOP -> SIGTTOU, hang-up of the
    foreground group when the session leader exits, /dev/tty only with a controlling tty."""
    with TtySession("tty_job_control") as t:
        for cmd, sig in (("ttin", 21), ("ttou", 22)):
            t.command(cmd)
            m = t.wait_re(rf"{cmd}: child (signaled|stopped|exited) (\d+)\r?\n", f"{cmd}'s child")
            check(m.group(1) != "exited" and int(m.group(2)) == sig,
                  f"{cmd}: child {m.group(1)} {m.group(2)}, expected signal {sig}")
            t.prompt()
        t.command("hup")
        m = t.wait_re(r"hup: child (signaled|exited) (\d+)\r?\n", "the foreground child of a dead leader")
        check(m.group(1) == "signaled" and m.group(2) == "1", f"child {m.group(1)} {m.group(2)}, not SIGHUP")
        t.prompt()
        t.command("devtty")
        t.wait_for("devtty before: No such device or address", "/dev/tty without a controlling tty")
        t.wait_for("devtty in session: ok", "/dev/tty in a session that has the console")
        t.wait_for("devtty sid=self", "TIOCGSID")
        t.wait_for("devtty foreground=self", "TIOCGPGRP")
        t.wait_for("devtty after: No such device or address", "the tty left with its session")
        t.prompt()


@test
def tty_pty_shell():
    """usr/examples/ptydrive as init runs /bin/sh -i on a pty (posix_openpt, setsid, TIOCSCTTY) and
    plays a session at it: a command, ps showing the shell on pts/0, SIGWINCH, then `sleep 100 &`,
    jobs, fg and ^Z (Stopped), bg (Running), kill %1 (Terminated), ^C of a foreground sleep ($? 130)."""
    from testsuite.common import run_as_init, expect_line
    r = run_as_init("tty_pty_shell", "/usr/bin/ptydrive", "jobctl")
    expect_line(r, r"^ptydrive: OK$", "the driver's verdict")
    for text in (r"^\s*\d+ pts/0\s+[\d:]+ sh\\r$", r"^\[1\]\+  Stopped\s+sleep 100\\r$",
                 r"^\[1\] sleep 100 &\\r$", r"Terminated\s+sleep 100\\r$", r"^130\\r$"):
        expect_line(r, text, f"{text!r} in the transcript")
