#!/usr/bin/python3
"""Fill the expected outputs of the case files from a reference run.

    sh run.sh /usr/bin            # check the cases against GNU (host tools)
    python3 record.py [FILE.t...] # rewrite expectations from GNU's output

record.py runs run.sh with BINDIR=/usr/bin and RECORD=dir, then replaces
the here-document body of every case whose NAME does not start with
"exo:" with what the host's GNU tools printed. Cases named "exo:..." keep
their hand-written expectation: they test behaviour GNU does not have or
prints differently (each says why in a comment). Review the diff after.
"""
import glob
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CASE = re.compile(r"^t (\S+|'[^']*'|\"[^\"]*\") [^\n]*<<'EOF'\n(.*?)^EOF\n", re.M | re.S)


def main():
    files = sys.argv[1:] or sorted(glob.glob(os.path.join(HERE, "*.t")))
    with tempfile.TemporaryDirectory() as rec:
        env = dict(os.environ, RECORD=rec)
        subprocess.run(["sh", os.path.join(HERE, "run.sh"), "/usr/bin"] +
                       [os.path.abspath(f) for f in files], env=env,
                       stdout=subprocess.DEVNULL)
        for f in files:
            text = open(f).read()
            count = [0]

            def repl(m):
                count[0] += 1
                name = m.group(1).strip("'\"")
                out = os.path.join(rec, f"{os.path.basename(f)}.{count[0]}")
                if name.startswith("exo:") or not os.path.exists(out):
                    return m.group(0)
                body = open(out).read()
                head = m.group(0)[:m.start(2) - m.start(0)]
                return head + body + "EOF\n"

            new = CASE.sub(repl, text)
            if new != text:
                open(f, "w").write(new)
                print("updated", os.path.relpath(f))


if __name__ == "__main__":
    main()
