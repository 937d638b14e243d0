mkdir -p sub/deeper
start=$(pwd)
cd sub
[ "$(pwd)" = "$start/sub" ] && echo in-sub
cd deeper
cd ..
[ "$PWD" = "$start/sub" ] && echo pwd-var
cd - > /dev/null
[ "$PWD" = "$start/sub/deeper" ] && echo dash-ok
[ "$OLDPWD" = "$start/sub" ] && echo oldpwd-ok
HOME=$start cd
[ "$PWD" = "$start" ] && echo home-ok
cd /nonexistent 2>/dev/null
echo status $?
cd /
pwd
