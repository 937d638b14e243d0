#!/usr/bin/python3
"""Kconfig front end over kconfiglib (Debian's python3-kconfiglib).

  kconfig.py defconfig [FILE [SYM=y|n ...]]
                                write .config from configs/defconfig (or FILE)
  kconfig.py olddefconfig       update .config, new symbols get defaults
  kconfig.py menuconfig         interactive editor (needs a terminal)
  kconfig.py savedefconfig      write the minimal config to build/defconfig
  kconfig.py genconfig OUT.h    write the C header of CONFIG_* macros
  kconfig.py allnoconfig [SYM=y|n ...]   every bool option off
  kconfig.py allyesconfig [SYM=y|n ...]  every bool option on
  kconfig.py randconfig [SYM=y|n ...]    every bool option on or off at random from
                                         $SEED (printed; a random one when unset)
  The SYM=VAL arguments are then forced (e.g. SERIAL_16550=y).

allnoconfig, allyesconfig and randconfig leave the int options at their
defaults; make test builds all three (scripts/testsuite/config.py).

The .config is also valid make syntax, so the Makefile includes it for
obj-$(CONFIG_FOO) lines.
"""
import os
import random
import sys

try:
    import kconfiglib
except ImportError:
    sys.exit("kconfig: python3-kconfiglib is missing; run scripts/setup "
             "(or use Debian's /usr/bin/python3)")

EXO_VERSION = "0.1.0"
CONFIG = os.environ.get("KCONFIG_CONFIG", ".config")


def load():
    os.environ.setdefault("EXO_VERSION", EXO_VERSION)
    return kconfiglib.Kconfig("Kconfig", warn_to_stderr=True)


def bool_syms(kconf):
    return [s for s in kconf.unique_defined_syms
            if s.orig_type == kconfiglib.BOOL and s.nodes[0].prompt]


def set_bools(kconf, pick):
    """Gives each bool option the value pick(sym) chooses among those it may take,
    over passes until none changes (an option becomes settable when what it
    depends on is set)."""
    chosen = {}
    for _ in range(8):
        changed = False
        for sym in bool_syms(kconf):
            if not sym.assignable:
                continue
            if sym.name not in chosen:
                chosen[sym.name] = pick(sym)
            want = chosen[sym.name] if chosen[sym.name] in sym.assignable else max(sym.assignable)
            if sym.tri_value != want:
                sym.set_value(want)
                changed = True
        if not changed:
            return


def parse_forced(kconf, args):
    """SYM=y|n arguments as {name: value}."""
    forced = {}
    for arg in args:
        name, _, val = arg.partition("=")
        if name.startswith("CONFIG_"):
            name = name[len("CONFIG_"):]
        if name not in kconf.syms or val not in ("y", "n"):
            sys.exit(f"kconfig: {arg!r}: want SYM=y or SYM=n for a known symbol")
        forced[name] = val
    return forced


def apply_forced(kconf, forced):
    for name, val in forced.items():
        sym = kconf.syms[name]
        sym.set_value(val)
        if sym.str_value != val:
            sys.exit(f"kconfig: cannot set {name}={val} (it depends on "
                     f"{kconfiglib.expr_str(sym.direct_dep)})")


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    cmd = sys.argv[1]
    kconf = load()
    if cmd == "defconfig":
        src = sys.argv[2] if len(sys.argv) > 2 else "configs/defconfig"
        print(kconf.load_config(src))
        apply_forced(kconf, parse_forced(kconf, sys.argv[3:]))
        print(kconf.write_config(CONFIG))
    elif cmd == "olddefconfig":
        kconf.load_config(CONFIG)
        print(kconf.write_config(CONFIG))
    elif cmd == "menuconfig":
        import menuconfig
        menuconfig.menuconfig(kconf)
    elif cmd == "savedefconfig":
        kconf.load_config(CONFIG)
        os.makedirs("build", exist_ok=True)
        print(kconf.write_min_config("build/defconfig"))
    elif cmd == "genconfig":
        out = sys.argv[2]
        kconf.load_config(CONFIG)
        os.makedirs(os.path.dirname(out), exist_ok=True)
        tmp = out + ".tmp"
        kconf.write_autoconf(tmp)
        # Only touch the header when it changes, so a no-op olddefconfig rebuilds nothing.
        new = open(tmp).read()
        if not os.path.exists(out) or open(out).read() != new:
            os.replace(tmp, out)
        else:
            os.remove(tmp)
    elif cmd in ("allnoconfig", "allyesconfig", "randconfig"):
        kconf.load_config("configs/defconfig")
        forced = parse_forced(kconf, sys.argv[2:])
        if cmd == "allnoconfig":
            set_bools(kconf, lambda sym: 0)
        elif cmd == "allyesconfig":
            set_bools(kconf, lambda sym: 2)
        else:
            seed = os.environ.get("SEED") or str(random.randrange(1 << 16))
            if not seed.isdigit():
                sys.exit(f"kconfig: SEED={seed!r} is not a number")
            print(f"randconfig: seed {seed} (make randconfig SEED={seed} writes the same)")
            rng = random.Random(int(seed))
            set_bools(kconf, lambda sym: rng.choice((0, 2)))
        apply_forced(kconf, forced)
        os.makedirs(os.path.dirname(CONFIG) or ".", exist_ok=True)
        print(kconf.write_config(CONFIG))
    else:
        sys.exit(f"kconfig: unknown command {cmd!r}\n{__doc__}")


if __name__ == "__main__":
    main()
