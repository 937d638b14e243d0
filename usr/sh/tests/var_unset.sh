a=1
unset a
echo "[${a-unset}]"
f() { echo fn; }
unset -f f
f 2>/dev/null || echo gone
b=2
unset -v b
echo "[${b-unset}]"
