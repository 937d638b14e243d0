command -v cd
command -v nonexistent_cmd_xyz
echo $?
f() { :; }
command -v f
command -v if
type cd >/dev/null && echo type-ok
type nonexistent_cmd_xyz >/dev/null 2>&1
echo $?
echo() { printf 'fn-echo\n'; }
echo x
command echo real
unset -f echo
echo restored
