#!/usr/bin/python3
"""Kconfig front end over kconfiglib (Debian's python3-kconfiglib).

  kconfig.py defconfig [FILE]   write .config from configs/defconfig (or FILE)
  kconfig.py olddefconfig       update .config, new symbols get defaults
  kconfig.py menuconfig         interactive editor (needs a terminal)
  kconfig.py savedefconfig      write the minimal config to build/defconfig
  kconfig.py genconfig OUT.h    write the C header of CONFIG_* macros

The .config is also valid make syntax, so the Makefile includes it for
obj-$(CONFIG_FOO) lines.
"""
import os
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


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    cmd = sys.argv[1]
    kconf = load()
    if cmd == "defconfig":
        src = sys.argv[2] if len(sys.argv) > 2 else "configs/defconfig"
        print(kconf.load_config(src))
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
    else:
        sys.exit(f"kconfig: unknown command {cmd!r}\n{__doc__}")


if __name__ == "__main__":
    main()
